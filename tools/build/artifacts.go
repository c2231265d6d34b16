package build

import "path/filepath"

// Artifacts are the files of a built Unikraft image that reports read.
type Artifacts struct {
	Image string
	// Debug is the image's unstripped ELF, with symbols and DWARF.
	Debug string
	// Objects is the folder of the per-library objects the image was
	// linked from: LIB.o (a partial link) and LIB/*.o.
	Objects string
}

// ArtifactsOf finds the built image of a Unikraft variant and its
// objects, wherever its backend left them.
func ArtifactsOf(repoRoot, name string) (*Artifacts, error) {
	image, err := ImagePath(repoRoot, name)
	if err != nil {
		return nil, err
	}
	m, err := ReadManifest(repoRoot, name)
	if err != nil {
		return nil, err
	}
	return &Artifacts{Image: image, Debug: image + ".dbg", Objects: objectsDir(Dir(repoRoot, name), m.Backend)}, nil
}

// objectsDir is where a backend compiles in a build folder: make in the
// folder itself, kraft in its app copy's .unikraft/build.
func objectsDir(dir, backend string) string {
	if backend == (kraftBackend{}).Name() {
		return filepath.Join(dir, ".unikraft", "build")
	}
	return dir
}
