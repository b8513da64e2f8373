"""RAG service built from the playbook's skeleton.

Reference architecture: playbook/architectures/rag-assistant/.
"""
