package main

import "syscall"

// hugePages maps size zeroed bytes advised onto transparent huge pages,
// as the C front ends do; where mmap fails it falls back to the heap,
// and a kernel without madvise (the ELF loader) just keeps small pages.
// Pages are only backed once touched.
func hugePages(size uint64) []byte {
	b, err := syscall.Mmap(-1, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]byte, size)
	}
	syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	return b
}
