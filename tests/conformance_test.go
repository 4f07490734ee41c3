package tests

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// SuperOffice's official TypeScript client (npm @superoffice/webapi, pinned
// in conformance/package.json) drives the gateway, run with
// Caddyfile.example in front of a fresh sample backend: conformance/
// conformance.js holds the checks and prints one line for each. Node.js and
// npm must be installed; as root the test installs Debian's nodejs and npm
// itself. It never skips.
func TestConformance(t *testing.T) {
	node, npm := nodeAndNPM(t)
	dir, err := filepath.Abs("conformance")
	if err != nil {
		t.Fatal(err)
	}
	// go test caches a passing run until a file the test process read
	// changes: these are read by npm and node, so read them here too.
	for _, name := range []string{"package.json", "package-lock.json", "conformance.js"} {
		if _, err := os.ReadFile(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	install := command(t, 5*time.Minute, dir, npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
	t.Logf("npm ci: %v", time.Since(start).Round(time.Millisecond))

	gw := startCaddyfileExample(t, newBackend(t, sampleBackend()))
	run := command(t, 2*time.Minute, dir, node, "conformance.js")
	run.Env = append(os.Environ(), "TZ=UTC", "CHATGATE_URL="+gw.URL,
		"NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost")
	start = time.Now()
	out, err := run.CombinedOutput()
	t.Logf("node conformance.js: %v", time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("the official client's checks failed (%v):\n%s", err, out)
	}
	t.Logf("%s", out)
}

// startCaddyfileExample runs Caddyfile.example, unchanged, in front of be, as
// TestCaddyfileExample does.
func startCaddyfileExample(t *testing.T, be *backend) *gateway {
	t.Helper()
	caddyfile, err := os.ReadFile("../Caddyfile.example")
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	return startWithCaddyfile(t, string(caddyfile), port, []string{
		fmt.Sprintf("CHATGATE_PORT=%d", port),
		fmt.Sprintf("CHATGATE_ADMIN_PORT=%d", freePort(t)),
		"CHATGATE_BACKEND=" + be.addr(),
	})
}

// nodeAndNPM finds node and npm, installing Debian's nodejs and npm with
// apt-get when they are missing and the test runs as root.
func nodeAndNPM(t *testing.T) (node, npm string) {
	t.Helper()
	find := func() bool {
		var errNode, errNPM error
		node, errNode = exec.LookPath("node")
		npm, errNPM = exec.LookPath("npm")
		return errNode == nil && errNPM == nil
	}
	if find() {
		return node, npm
	}
	if os.Geteuid() != 0 {
		t.Fatal("TestConformance needs Node.js (18 or later) and npm on PATH to run SuperOffice's official client; " +
			"install them (Debian: apt-get install nodejs npm) or run the tests as root, which installs them")
	}
	for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "nodejs", "npm"}} {
		cmd := command(t, 10*time.Minute, "", "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("node or npm is missing, and apt-get %v failed: %v\n%s", args, err, out)
		}
	}
	if !find() {
		t.Fatal("apt-get installed nodejs and npm, but node or npm is still not on PATH")
	}
	return node, npm
}

// command is a command in dir that is killed after timeout or when the
// test ends.
func command(t *testing.T, timeout time.Duration, dir, name string, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	return cmd
}
