package kraftfile

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse reads a Kraftfile and validates it.
func Parse(data []byte) (*Kraftfile, error) {
	var k Kraftfile
	if err := yaml.Unmarshal(data, &k); err != nil {
		return nil, fmt.Errorf("parsing Kraftfile: %w", err)
	}
	if err := k.Validate(); err != nil {
		return nil, fmt.Errorf("invalid Kraftfile: %w", err)
	}
	return &k, nil
}

// Load reads and parses the Kraftfile at path.
func Load(path string) (*Kraftfile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Marshal writes k as YAML; maps come out sorted, so the same Kraftfile
// always gives the same bytes.
func (k *Kraftfile) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(k); err != nil {
		return nil, fmt.Errorf("writing Kraftfile: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("writing Kraftfile: %w", err)
	}
	return buf.Bytes(), nil
}

// UnmarshalYAML accepts both forms kraft reads: a bare version string, or
// a map whose kconfig is a map or a list of KEY=VALUE strings.
func (c *Component) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&c.Version)
	}
	var raw struct {
		Source  string    `yaml:"source"`
		Version string    `yaml:"version"`
		KConfig yaml.Node `yaml:"kconfig"`
	}
	if err := n.Decode(&raw); err != nil {
		return err
	}
	c.Source, c.Version = raw.Source, raw.Version
	kc, err := decodeKConfig(&raw.KConfig)
	c.KConfig = kc
	return err
}

func decodeKConfig(n *yaml.Node) (map[string]string, error) {
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.MappingNode:
		var kc map[string]string
		return kc, n.Decode(&kc)
	case yaml.SequenceNode:
		var lines []string
		if err := n.Decode(&lines); err != nil {
			return nil, err
		}
		kc := make(map[string]string, len(lines))
		for _, line := range lines {
			key, value, ok := strings.Cut(line, "=")
			if !ok {
				return nil, fmt.Errorf("line %d: kconfig entry %q: want KEY=VALUE", n.Line, line)
			}
			kc[key] = value
		}
		return kc, nil
	}
	return nil, fmt.Errorf("line %d: kconfig: want a map or a list", n.Line)
}

// UnmarshalYAML accepts "plat/arch" and the long form with plat and arch
// (or platform and architecture) keys.
func (t *Target) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		plat, arch, ok := strings.Cut(n.Value, "/")
		if !ok {
			return fmt.Errorf("line %d: target %q: want plat/arch", n.Line, n.Value)
		}
		t.Plat, t.Arch = plat, arch
		return nil
	}
	var raw struct {
		Plat         string `yaml:"plat"`
		Platform     string `yaml:"platform"`
		Arch         string `yaml:"arch"`
		Architecture string `yaml:"architecture"`
	}
	if err := n.Decode(&raw); err != nil {
		return err
	}
	t.Plat, t.Arch = raw.Plat+raw.Platform, raw.Arch+raw.Architecture
	return nil
}

// MarshalYAML writes the short plat/arch form.
func (t Target) MarshalYAML() (any, error) { return t.String(), nil }
