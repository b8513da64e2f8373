"""Federation: entries kept in other repositories, named in playbook.toml, pinned in playbook.lock, synced into the
cache by `playbook sync` and read by the loader beside catalog/."""
