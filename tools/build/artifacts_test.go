package build

import (
	"os"
	"path/filepath"
	"testing"
)

// TestArtifactsOfEachBackend: kraft compiles in the app copy's
// .unikraft/build, make in the build folder; both leave image and .dbg
// in the build folder.
func TestArtifactsOfEachBackend(t *testing.T) {
	for backend, objects := range map[string]string{"make": "", "kraft": ".unikraft/build"} {
		repo := t.TempDir()
		image := filepath.Join(Dir(repo, "v"), "v_qemu-x86_64")
		if err := os.MkdirAll(filepath.Dir(image), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(image, []byte("image"), 0o644); err != nil {
			t.Fatal(err)
		}
		size, sum, err := fileDigest(image)
		if err != nil {
			t.Fatal(err)
		}
		m := &Manifest{Variant: "v", Image: filepath.Join(Root, "v", "v_qemu-x86_64"), Bytes: size, SHA256: sum, Backend: backend}
		if err := m.write(repo); err != nil {
			t.Fatal(err)
		}
		a, err := ArtifactsOf(repo, "v")
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(Dir(repo, "v"), objects); a.Objects != want || a.Image != image || a.Debug != image+".dbg" {
			t.Errorf("%s: %+v, want objects in %s", backend, a, want)
		}
	}
}
