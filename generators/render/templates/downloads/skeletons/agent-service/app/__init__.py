"""Agent service built from the playbook's skeleton.

Reference architecture: playbook/architectures/agentic-workflow/.
"""
