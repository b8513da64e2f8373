"""RAG service built from the playbook's skeleton; reference architecture: playbook/architectures/rag-assistant/."""
