package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hashPassword runs the binary's hash-password, as a user makes a hash for
// basic_account.
func hashPassword(t *testing.T, password string, args ...string) string {
	t.Helper()
	out, err := exec.Command(binary(t), append([]string{"hash-password", "--plaintext", password}, args...)...).Output()
	if err != nil {
		t.Fatalf("hash-password %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// argon2id hashes, which hash-password recommends, verify Basic passwords.
func TestBasicAccountsArgon2id(t *testing.T) {
	low := []string{"--algorithm", "argon2id", "--argon2id-memory", "64"} // cheap, for a fast test
	ann, bob := hashPassword(t, "ann-secret-pw", low...), hashPassword(t, "bob-secret-pw", low...)
	if !strings.HasPrefix(ann, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash-password wrote %q", ann)
	}
	be := newBackend(t, echoJSON)
	gw := startGateway(t, `
	chatgate {
		basic_account ann `+ann+`
		basic_account bob `+bob+`
	}
	reverse_proxy {backend}
`, be.addr())
	for _, tc := range []struct {
		name, user, password string
		status               int
	}{
		{"right password", "ann", "ann-secret-pw", 200},
		{"another user's", "bob", "bob-secret-pw", 200},
		{"wrong password", "ann", "bob-secret-pw", 401},
		{"unknown user", "mallory", "ann-secret-pw", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := doRaw(t, "GET", gw.URL+"/x", "", "Authorization", basicHeader(tc.user, tc.password))
			if tc.status == 401 {
				wantError(t, res, 401, "Unauthorized", "the user name or password is wrong")
				return
			}
			if res.Status != tc.status {
				t.Fatalf("status %d; want %d; body %s", res.Status, tc.status, res.Body)
			}
		})
	}
	if got := len(be.take()); got != 2 {
		t.Fatalf("the backend got %d requests; want the 2 verified", got)
	}
}

// Accounts whose hashes differ in algorithm or cost make a config that does
// not load, named in the message: adapting a Caddyfile, and validating JSON
// (which only Provision checks).
func TestBasicAccountsMixedCostsRefused(t *testing.T) {
	ann := hashPassword(t, "ann-secret-pw", "--bcrypt-cost", "4")
	bob := hashPassword(t, "bob-secret-pw", "--bcrypt-cost", "5")
	dir := t.TempDir()
	caddyfile := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(caddyfile, []byte(":8080 {\n\tchatgate {\n\t\tbasic_account ann "+ann+"\n\t\tbasic_account bob "+bob+"\n\t}\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	json := filepath.Join(dir, "caddy.json")
	if err := os.WriteFile(json, fmt.Appendf(nil, `{"apps": {"http": {"servers": {"s": {"listen": [":8080"], "routes": [{"handle": [
		{"handler": "chatgate", "basic_accounts": [{"username": "ann", "hash": %q}, {"username": "bob", "hash": %q}]}]}]}}}}}`, ann, bob), 0o600); err != nil {
		t.Fatal(err)
	}
	const want = `basic_account "bob": its hash is bcrypt cost 5, but "ann"'s is bcrypt cost 4; every account must use the same algorithm and cost, so that unknown users take as long as known ones`
	for _, args := range [][]string{
		{"adapt", "--config", caddyfile, "--adapter", "caddyfile"}, // the message ends "at .../Caddyfile:4"
		{"validate", "--config", json},
	} {
		cmd := exec.Command(binary(t), args...)
		cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir, "HOME="+dir)
		raw, err := cmd.CombinedOutput()
		out := strings.ReplaceAll(string(raw), `\"`, `"`) // the message is in a JSON log line
		if err == nil || !strings.Contains(out, want) {
			t.Fatalf("%s: %v\n%s\nwant %q", args[0], err, out, want)
		}
		for _, secret := range []string{ann, bob, ann[7:], bob[7:]} {
			if strings.Contains(out, secret) {
				t.Fatalf("%s: the message holds a hash:\n%s", args[0], out)
			}
		}
	}
}
