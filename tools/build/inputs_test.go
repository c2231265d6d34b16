package build

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The files a build compiled come from its dependency files: repository
// files only, each once, neither the build folder's nor those outside.
func TestCompiledInputsAreTheRepositoryFilesTheCompilerRead(t *testing.T) {
	root := t.TempDir()
	objects := filepath.Join(root, Root, "raw-uknetdev", ".unikraft", "build")
	lib := filepath.Join(objects, "appkvstore")
	if err := os.MkdirAll(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	in := func(rel string) string { return filepath.Join(root, rel) }
	raw := in(Root+"/raw-uknetdev/.unikraft/build/appkvstore/raw.o") + ": " + in("apps/kvstore/unikraft/raw.c") + " \\\n " +
		in("apps/kvstore/core/pkt.h") + " /usr/include/stdint.h \\\n " + in(Root+"/raw-uknetdev/.unikraft/build/include/uk/_config.h") + "\n" +
		in("apps/kvstore/core/pkt.h") + ":\n"
	main := "main.o: " + in("apps/kvstore/unikraft/main.c") + " " + in("apps/kvstore/core/pkt.h") + "\n"
	for name, text := range map[string]string{".raw.o.d": raw, ".main.o.d": main, "raw.o": "not a dependency file"} {
		if err := os.WriteFile(filepath.Join(lib, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := compiledInputs(root, objects)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"apps/kvstore/core/pkt.h", "apps/kvstore/unikraft/main.c", "apps/kvstore/unikraft/raw.c"}
	if !slices.Equal(got, want) {
		t.Errorf("compiled inputs %v, want %v", got, want)
	}
}
