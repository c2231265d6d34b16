#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# End-to-end check of kvstore-linux-dpdk on this host: a net_tap port in
# DPDK, the kernel side of the TAP device given the peer address, and
# memcached requests from the host through it, so that ARP, IPv4/UDP
# checksums and the KV core are all exercised on a real data path.
#
# usage: dpdk_test.sh SERVER UDP_PROBE
set -eu

server=$1
probe=$2
if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ]; then
	echo "dpdk_test: SKIP: needs root and /dev/net/tun (a TAP device)"
	exit 0
fi

# Names and addresses of this run only: colleagues' runs may be live.
name=kvt$$
if ! ip tuntap add dev "$name" mode tap 2>/dev/null; then
	echo "dpdk_test: SKIP: cannot create a TAP device (needs CAP_NET_ADMIN)"
	exit 0
fi
ip link del "$name"
net=10.$((200 + $$ % 50)).$(($$ / 50 % 250))
port=11311
tmp=$(mktemp -d -t kvstore-dpdk-test.XXXXXX)
pid=

cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp" "/var/run/dpdk/$name"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

fail() {
	echo "dpdk_test: FAIL: $*"
	echo "--- server output"
	cat "$tmp/out"
	exit 1
}

# waits up to $2 tenths of a second for a line matching $1 in the output
await() {
	i=0
	until grep -qs "$1" "$tmp/out"; do
		i=$((i + 1))
		[ "$i" -le "$2" ] || fail "no \"$1\" line"
		kill -0 "$pid" 2>/dev/null || fail "the server exited"
		sleep 0.1
	done
}

"$server" -l 0 --no-huge -m 256 --no-pci --file-prefix "$name" \
	--vdev "net_tap0,iface=$name" -- \
	--ip "$net.2" --port "$port" --preload 10 --value-size 8 \
	>"$tmp/out" 2>&1 &
pid=$!
await "^ready udp $net.2:$port\$" 300

ip addr add "$net.1/24" dev "$name"
ip link set "$name" up

expect() {
	want=$1
	shift
	got=$("$probe" "$net.2" "$port" 3000 "$@" | tr -d '\r') ||
		fail "no reply to: $*"
	[ "$got" = "$(printf "$want" | tr -d '\r')" ] ||
		fail "to \"$*\" replied \"$got\", want \"$want\""
}

# the first request also waits for the kernel's ARP exchange
expect 'VALUE key:3 0 8\ndefghijk\nEND' 'get key:3'
expect 'STORED\nVALUE k 5 3\nabc\nEND' "$(printf 'set k 5 0 3\r\nabc')" \
	'get k key:99'
expect 'ERROR\nDELETED' 'bogus' 'delete k'
# a request too big to have its reply written behind it in its buffer
big=$(head -c 1300 /dev/zero | tr '\0' x)
expect 'STORED' "$(printf 'set big 0 0 1300\r\n%s' "$big")"
# (a second key keeps the get within the amplification limit)
expect "VALUE big 0 1300\n$big\nEND" 'get big nokey:0123456789'

kill -TERM "$pid"
wait "$pid" || fail "exit status $? on SIGTERM"
pid=
grep -q '^stats cmd_get=5 get_hits=3 get_misses=2 ' "$tmp/out" ||
	fail "stats line"
grep -q '^port .* arp=[1-9]' "$tmp/out" || fail "no ARP request answered"
echo "dpdk_test: ok"
