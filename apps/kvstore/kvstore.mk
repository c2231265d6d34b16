# The KV server: core, Linux front ends, and their checks.
