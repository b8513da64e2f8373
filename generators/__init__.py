"""Generate, validate and publish an AI architecture playbook kept as a YAML catalog."""
