package sources

// Pinned is the one set of Unikraft sources ukkv builds with: a set that
// builds with Debian 12's gcc and links lwIP for qemu/x86_64. unikraft 0.17
// and later do not build with this lib-lwip. The commit says which history
// a git repository must hold; the tree says which files a plain folder must
// hold, so an exported copy can be checked without its history.
// app-elfloader and lib-libelf are Optional: only the variants that run an
// unmodified Linux binary need them.
var Pinned = []Source{
	{
		Name:   "unikraft",
		URL:    "https://github.com/unikraft/unikraft.git",
		Ref:    "RELEASE-0.16.3",
		Commit: "e453b74a2e78a0de98563d75d8e0a97e668088e6",
		Tree:   "2a23f32e19b4143a3c950493773dbcd3e83ae2d8",
	},
	{
		Name:   "lib-lwip",
		URL:    "https://github.com/unikraft/lib-lwip.git",
		Ref:    "RELEASE-0.16.2",
		Commit: "7c1859a7069701f992dbf0b9508335377f55d364",
		Tree:   "82357b8252c3ab9a2aec83f9fadd6b9603851998",
	},
	{
		Name:   "lwip",
		URL:    "https://github.com/unikraft/fork-lwip.git",
		Ref:    "UNIKRAFT-2_1_x",
		Commit: "bef26c44236a078d4352e76392ef16f019bea501",
		Tree:   "85659065fc5d8391e38ccb8530cc5b4e02164065",
		// lib-lwip's Makefile.uk downloads this branch as a GitHub zip;
		// the build finds it in place instead when offline.
		Archive:       "UNIKRAFT-2_1_x.zip",
		ArchivePrefix: "fork-lwip-UNIKRAFT-2_1_x/",
	},
	{
		Name:     "app-elfloader",
		URL:      "https://github.com/unikraft/app-elfloader.git",
		Ref:      "RELEASE-0.16.3",
		Commit:   "681fdb6b3de892d6db5b4c7d2e96cbe3b7940cb7",
		Tree:     "8ad5a2941b72e470a3e8d64e3eb75ef8d48a07a8",
		Optional: true,
	},
	{
		// Carries its elftoolchain code in-tree: nothing to download.
		Name:     "lib-libelf",
		URL:      "https://github.com/unikraft/lib-libelf.git",
		Ref:      "RELEASE-0.16.0",
		Commit:   "0f1476d5f7fbc1a8fb44776066ab13e7403cfcae",
		Tree:     "5bf27496f24f77906a95b4cae2eac77637596321",
		Optional: true,
	},
}
