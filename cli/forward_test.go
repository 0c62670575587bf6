package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestAbsArgs(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	abs := func(p string) string { return filepath.Join(wd, p) }
	line, _ := testKey("blob")
	blob := strings.Fields(line)[1] // a bare key: no type, still not a file
	for _, c := range []struct{ in, want []string }{
		{[]string{"queue", "--json"}, []string{"queue", "--json=true", "--"}},
		{[]string{"--data", "d", "import", "desk.json", "--as", "maria"}, []string{"import", "--as=maria", "--", abs("desk.json")}},
		{[]string{"restore", "--force", "b.bak"}, []string{"restore", "--force=true", "--", abs("b.bak")}},
		{[]string{"backup", "-"}, []string{"backup", "--", "-"}},
		{[]string{"user", "key", "sam", "k.pub"}, []string{"user", "key", "--", "sam", abs("k.pub")}},
		{[]string{"user", "key", "sam", "ssh-ed25519 AAAA x"}, []string{"user", "key", "--", "sam", "ssh-ed25519 AAAA x"}},
		{[]string{"user", "key", "sam", blob}, []string{"user", "key", "--", "sam", blob}},
		{[]string{"user", "key", "sam", "--remove", "SHA256:x"}, []string{"user", "key", "--remove=SHA256:x", "--", "sam"}},
		{[]string{"user", "add", "x", "--name", "X", "--role", "wall", "--key", "a.pub", "--key", "-"},
			[]string{"user", "add", "--key=" + abs("a.pub"), "--key=-", "--name=X", "--role=wall", "--", "x"}},
		{[]string{"case", "note", "5", "--now", "2026-11-20T10:00:00Z", "--", "-x", "y"},
			[]string{"case", "note", "--now=2026-11-20T10:00:00Z", "--", "5", "-x", "y"}},
		{[]string{"nonsense", "x"}, []string{"nonsense", "x"}},
	} {
		if got := absArgs(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("absArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
