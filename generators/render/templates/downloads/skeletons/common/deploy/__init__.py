"""Deployment steps that run after the evaluation gate."""
