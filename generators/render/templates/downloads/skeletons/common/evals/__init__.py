"""The evaluation gate and the client of the shared evaluation harness."""
