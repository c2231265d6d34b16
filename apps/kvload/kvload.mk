# The DPDK load generator.
