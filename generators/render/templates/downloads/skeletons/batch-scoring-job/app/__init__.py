"""Batch scoring job built from the playbook's skeleton.

Reference architectures: playbook/architectures/batch-scoring/ and
playbook/architectures/classical-classification/.
"""
