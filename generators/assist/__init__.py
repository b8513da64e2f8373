"""The playbook for AI assistants: one edition of the catalog answered over the Model Context Protocol.

`queries` holds what the server answers, as plain functions over the edition's catalog; `server` only
adapts them to the MCP SDK.
"""
