//go:build linux

// Command bench drives one Caddy with two sites in front of the same
// backend, plain reverse_proxy and chatgate + reverse_proxy, with wrk on
// loopback, and prints requests/s, p50/p99 latency and the ratio of chatgate
// to plain reverse_proxy for each scenario, from rounds in which the two
// sites take turns. bench/run.sh builds what it needs and runs it. It is
// Linux's: it reads Caddy's CPU time and peak RSS in /proc.
package main

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/chatgate/chatgate/internal/benchratio"
)

// The benchmark's user, verified by chatgate's basic_account (bcrypt, cost
// 10, as `caddy hash-password` makes it).
const (
	benchUser     = "bench"
	benchPassword = "bench-pw"
)

// scenario is one kind of request, sent alike to both sites.
type scenario struct {
	name    string
	method  string
	path    string
	headers map[string]string
	body    string
	// check is what the chatgate site's answer must hold, so that a
	// misconfigured run cannot pass for a fast one.
	check func(status int, header http.Header, body []byte) error
	// goal is the least ratio to plain reverse_proxy (0: reported only);
	// maxAddedP99 the most p99 latency chatgate may add (0: reported only).
	goal        float64
	maxAddedP99 time.Duration
	// connections overrides -connections for this scenario (0: it stands).
	connections int
}

func main() {
	binary := flag.String("binary", "bin/chatgate", "the chatgate binary (go build ./cmd/chatgate)")
	entityFile := flag.String("entity", "select/testdata/chatsession.json", "the reference pages' ChatSession entity")
	rounds := flag.Int("rounds", 5, "rounds per scenario; each runs both sites, taking turns to go first")
	duration := flag.Duration("duration", 5*time.Second, "length of one wrk run")
	connections := flag.Int("connections", 32, "wrk connections")
	threads := flag.Int("threads", 2, "wrk threads")
	memoryClients := flag.Int("memory-clients", 256, "concurrent clients of the memory run (0: no memory run)")
	// 64 clients at 1 MiB/s read the 3.8 MB array in about 4 s per site,
	// short enough for run.sh --quick too.
	slowClients := flag.Int("slow-clients", 64, "slow clients of the 4,000-entity array in the slow-client memory run (0: no such run)")
	slowRate := flag.Int("slow-rate", 1<<20, "bytes per second each slow client reads")
	profileDir := flag.String("profile", "", "if set, save CPU and allocation profiles of Caddy under load here")
	profiled := flag.String("profile-scenario", "b", "the scenario (a to i) whose last chatgate run is profiled")
	only := flag.String("only", "", "run only these scenarios, such as a,b (default: all)")
	flag.Parse()

	if err := run(*binary, *entityFile, *rounds, *duration, *connections, *threads, *memoryClients, *slowClients, *slowRate, *profileDir, *profiled, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(binary, entityFile string, rounds int, duration time.Duration, connections, threads, memoryClients, slowClients, slowRate int, profileDir, profiled, only string) error {
	if slowClients > 0 && slowRate <= 0 {
		return errors.New("-slow-rate must be positive")
	}
	raw, err := os.ReadFile(entityFile)
	if err != nil {
		return err
	}
	var entity bytes.Buffer
	if err := json.Compact(&entity, raw); err != nil {
		return fmt.Errorf("%s: %v", entityFile, err)
	}
	array := benchratio.JSONArray(entity.Bytes(), 1500)
	big := benchratio.JSONArray(entity.Bytes(), 4000)
	varied := benchratio.VariedChatSessions(entity.Bytes(), 1500)
	backendAddr, err := serveBackend(entity.Bytes(), array, big, varied)
	if err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(benchPassword), 10)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "chatgate-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg := config{dir: dir, binary: binary, backend: backendAddr, hash: string(hash)}
	if cfg.plainPort, err = freePort(); err != nil {
		return err
	}
	if cfg.gatePort, err = freePort(); err != nil {
		return err
	}
	if cfg.adminPort, err = freePort(); err != nil {
		return err
	}

	fmt.Printf("machine: %s, %d CPUs; %s\n", cpuModel(), runtime.NumCPU(), runtime.Version())
	fmt.Printf("backend: the ChatSession entity (%d bytes), arrays of 1,500 (%d bytes) and 4,000 (%d bytes) of it, and 1,500 varied (%d bytes)\n", entity.Len(), len(array), len(big), len(varied))
	fmt.Printf("wrk: %d threads, %d connections (64 for the 1,500-entity scenarios), %d rounds of %s per site and scenario\n\n", threads, connections, rounds, duration)

	caddy, err := cfg.start()
	if err != nil {
		return err
	}
	defer caddy.stop()

	scenarios := benchScenarios()
	if only != "" {
		scenarios = slices.DeleteFunc(scenarios, func(s scenario) bool {
			return !slices.Contains(strings.Split(only, ","), s.name[1:2])
		})
	}
	for _, s := range scenarios {
		if err := cfg.verify(s); err != nil {
			return fmt.Errorf("%s: %v", s.name, err)
		}
	}
	var results []result
	for _, s := range scenarios {
		dir := ""
		if strings.HasPrefix(s.name, "("+profiled+")") {
			dir = profileDir
		}
		res, err := cfg.measure(caddy, s, rounds, duration, connections, threads, dir)
		if err != nil {
			return fmt.Errorf("%s: %v", s.name, err)
		}
		results = append(results, res)
	}
	caddy.stop()
	met := printResults(results)

	if memoryClients > 0 {
		if err := cfg.memoryRun(benchScenarios()[2], memoryClients, duration, threads); err != nil {
			return err
		}
	}
	if slowClients > 0 {
		if err := cfg.slowRun(benchScenarios()[2], slowClients, slowRate, len(big)); err != nil {
			return err
		}
	}
	if !met {
		fmt.Println("\nsome goals were not met in this run (see the goal column)")
	}
	return nil
}

// benchScenarios are the four, XML, and (c) on a varied list,
// from a backend that sends no Content-Length, and with the selection
// issue 17 measured first (wrk, 64 connections, $select=ChatSessionId,Status:
// 0.63x then).
func benchScenarios() []scenario {
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(benchUser+":"+benchPassword))
	return []scenario{
		{name: "(a) passthrough", method: "GET", path: "/entity", headers: map[string]string{"Authorization": auth},
			check: func(status int, _ http.Header, body []byte) error {
				return expect(status == 200 && bytes.Contains(body, []byte(`"CustomerEmail":"elvie_west@zemlak.info"`)), status, body)
			}, goal: 0.95},
		{name: "(b) $select+SO-TimeZone+language", method: "GET",
			path:    "/entity?$select=ChatSessionId,CustomerName,Status,WhenRequested,WhenStarted,User/Name,FieldProperties",
			headers: map[string]string{"Authorization": auth, "SO-TimeZone": "US-NY, includeTZOffset", "SO-Language": "nb"},
			check: func(status int, _ http.Header, body []byte) error {
				return expect(status == 200 && bytes.Contains(body, []byte(`"CustomerEmail":null`)) &&
					bytes.Contains(body, []byte(`"WhenRequested":"2000-12-04T05:10:26.1095254-05:00"`)), status, body)
			}, goal: 0.85, maxAddedP99: time.Millisecond},
		{name: "(c) 1,500 entities, $select+TimeZone", method: "GET", path: "/array?$select=ChatSessionId,Status,WhenRequested,User/Name",
			headers: map[string]string{"Authorization": auth, "SO-TimeZone": "US-NY, includeTZOffset"},
			check: func(status int, _ http.Header, body []byte) error {
				return expect(status == 200 && bytes.Count(body, []byte(`"CustomerName":null`)) == 1500 &&
					bytes.Count(body, []byte(`"WhenRequested":"2000-12-04T05:10:26.1095254-05:00"`)) == 1500, status, body)
			}, goal: 0.8, connections: 64},
		{name: "(d) TransferChatSession, form", method: "POST", path: "/api/v1/Agents/Chat/TransferChatSession",
			headers: map[string]string{"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"},
			body:    "ChatSessionId=157&ToAssociate=ann",
			check: func(status int, _ http.Header, body []byte) error {
				return expect(status == 200 && bytes.HasPrefix(body, []byte(`{"ChatSessionId":746`)), status, body)
			}},
		{name: "(e) XML of the entity", method: "GET", path: "/entity",
			headers: map[string]string{"Authorization": auth, "Accept": "application/xml"},
			check: func(status int, header http.Header, body []byte) error {
				return expect(status == 200 && header.Get("Content-Type") == "application/xml; charset=utf-8" &&
					bytes.Contains(body, []byte("<ChatSessionEntity ")), status, body)
			}},
		{name: "(f) 1,500 entities, every transform", method: "GET", path: "/array?$select=ChatSessionId,Status,WhenRequested,User/Name",
			headers: map[string]string{"Authorization": auth, "SO-TimeZone": "US-NY, includeTZOffset", "SO-Language": "nb", "Accept": "application/xml"},
			check: func(status int, header http.Header, body []byte) error {
				return expect(status == 200 && header.Get("Content-Type") == "application/xml; charset=utf-8" &&
					bytes.Count(body, []byte("<WhenRequested>2000-12-04T05:10:26.1095254-05:00</WhenRequested>")) == 1500, status, body)
			}, goal: 0.6, connections: 64},
		{name: "(g) (c) on 1,500 varied entities", method: "GET", path: "/varied?$select=ChatSessionId,Status,WhenRequested,User/Name",
			headers: map[string]string{"Authorization": auth, "SO-TimeZone": "US-NY, includeTZOffset"},
			check: func(status int, _ http.Header, body []byte) error {
				return expect(status == 200 && bytes.Count(body, []byte(`"CustomerName":null`)) == 1500 &&
					len(newYorkDates.FindAllIndex(body, -1)) == 1500, status, body)
			}, connections: 64},
		{name: "(h) (c), backend without length", method: "GET", path: "/chunked?$select=ChatSessionId,Status,WhenRequested,User/Name",
			headers: map[string]string{"Authorization": auth, "SO-TimeZone": "US-NY, includeTZOffset"},
			check: func(status int, _ http.Header, body []byte) error {
				return expect(status == 200 && bytes.Count(body, []byte(`"CustomerName":null`)) == 1500 &&
					bytes.Count(body, []byte(`"WhenRequested":"2000-12-04T05:10:26.1095254-05:00"`)) == 1500, status, body)
			}, connections: 64},
		{name: "(i) (c) with the issue's $select", method: "GET", path: "/array?$select=ChatSessionId,Status",
			headers: map[string]string{"Authorization": auth, "SO-TimeZone": "US-NY, includeTZOffset"},
			check: func(status int, _ http.Header, body []byte) error {
				return expect(status == 200 && bytes.Count(body, []byte(`"WhenRequested":null`)) == 1500 &&
					bytes.Count(body, []byte(`"Status":"Closed"`)) == 1500, status, body)
			}, goal: 0.8, connections: 64},
	}
}

// newYorkDates are (g)'s WhenRequested values converted to New York
// time, with its offset of the day.
var newYorkDates = regexp.MustCompile(`"WhenRequested":"20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{7}-0[45]:00"`)

func expect(ok bool, status int, body []byte) error {
	if ok {
		return nil
	}
	if len(body) > 300 {
		body = body[:300]
	}
	return fmt.Errorf("unexpected answer from chatgate: %d %s", status, body)
}

// serveBackend answers GET /entity, GET /array, GET /big and GET /varied
// with fixed JSON, GET /chunked with the array in flushed writes of 32 KiB
// and no Content-Length (as a backend that streams its JSON sends it:
// reverse_proxy then flushes after each write), and any POST (the chat
// endpoint, on either site's path) with the entity. It runs in this
// process, which is otherwise idle while wrk runs.
func serveBackend(entity, array, big, varied []byte) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	answer := func(body []byte) http.HandlerFunc {
		length := fmt.Sprint(len(body))
		return func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Content-Length", length)
			_, _ = w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /entity", answer(entity))
	mux.HandleFunc("GET /array", answer(array))
	mux.HandleFunc("GET /big", answer(big))
	mux.HandleFunc("GET /varied", answer(varied))
	mux.HandleFunc("GET /chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		for rest := array; len(rest) > 0; {
			n := min(len(rest), 32<<10)
			_, _ = w.Write(rest[:n])
			w.(http.Flusher).Flush()
			rest = rest[n:]
		}
	})
	mux.HandleFunc("POST /", answer(entity))
	go func() { _ = http.Serve(l, mux) }()
	return l.Addr().String(), nil
}

// config is the Caddy both sites run in.
type config struct {
	dir, binary, backend, hash     string
	plainPort, gatePort, adminPort int
}

func (c config) caddyfile() string {
	return fmt.Sprintf(`{
	admin localhost:%d
	auto_https off
	persist_config off
}

:%d {
	reverse_proxy %s
}

:%d {
	chatgate {
		basic_account %s %s
		base_timezone Europe/Oslo
		chat_route transfer POST /chat/sessions/{ChatSessionId}/transfer/{ToAssociate}
	}
	reverse_proxy %s
}
`, c.adminPort, c.plainPort, c.backend, c.gatePort, benchUser, c.hash, c.backend)
}

func (c config) url(port int, s scenario) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", port, s.path)
}

// caddyProcess is a running Caddy.
type caddyProcess struct{ cmd *exec.Cmd }

func (c config) start() (*caddyProcess, error) {
	path := filepath.Join(c.dir, "Caddyfile")
	if err := os.WriteFile(path, []byte(c.caddyfile()), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(c.binary, "run", "--config", path, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+c.dir, "XDG_CONFIG_HOME="+c.dir)
	logs, err := os.Create(filepath.Join(c.dir, "caddy.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &caddyProcess{cmd}
	deadline := time.Now().Add(30 * time.Second)
	for _, port := range []int{c.plainPort, c.gatePort} {
		for {
			conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
			if err == nil {
				conn.Close()
				break
			}
			if time.Now().After(deadline) {
				p.stop()
				out, _ := os.ReadFile(filepath.Join(c.dir, "caddy.log"))
				return nil, fmt.Errorf("caddy did not start: %v\n%s", err, out)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return p, nil
}

func (p *caddyProcess) stop() {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// cpuTime is the CPU time the process has used, user and system, from
// /proc/PID/stat (in clock ticks of 10 ms: USER_HZ is 100 on Linux).
func (p *caddyProcess) cpuTime() (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// the fields after the command name, which is in parentheses
	_, rest, ok := strings.Cut(string(stat), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0, errors.New("unexpected /proc stat")
	}
	var ticks int64
	for _, f := range fields[11:13] { // utime, stime (fields 14 and 15)
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

// peakRSS is the process's peak resident set size (VmHWM).
func (p *caddyProcess) peakRSS() (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err != nil {
				return 0, err
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// verify sends the scenario once to chatgate's site and checks the answer,
// and once to the plain site, which must answer 200.
func (c config) verify(s scenario) error {
	for _, port := range []int{c.plainPort, c.gatePort} {
		req, err := http.NewRequest(s.method, c.url(port, s), strings.NewReader(s.body))
		if err != nil {
			return err
		}
		for k, v := range s.headers {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if port == c.gatePort {
			if err := s.check(res.StatusCode, res.Header, body); err != nil {
				return err
			}
		} else if res.StatusCode != 200 {
			return fmt.Errorf("plain reverse_proxy answered %d", res.StatusCode)
		}
	}
	return nil
}

// sample is one wrk run.
type sample struct {
	rps      float64
	p50, p99 time.Duration
	cpu      time.Duration // Caddy's CPU time (user + system) per request
}

// result is a scenario's rounds, for both sites.
type result struct {
	scenario
	plain, gate []sample
}

func (c config) measure(caddy *caddyProcess, s scenario, rounds int, duration time.Duration, connections, threads int, profileDir string) (result, error) {
	script := filepath.Join(c.dir, "scenario.lua")
	if err := os.WriteFile(script, []byte(wrkScript(s)), 0o600); err != nil {
		return result{}, err
	}
	res := result{scenario: s}
	for r := range rounds {
		sites := []int{c.plainPort, c.gatePort}
		if r%2 == 1 {
			sites[0], sites[1] = sites[1], sites[0]
		}
		for _, port := range sites {
			var profiling chan error
			if profileDir != "" && port == c.gatePort && r == rounds-1 {
				profiling = c.profile(profileDir, duration)
			}
			cpuBefore, err := caddy.cpuTime()
			if err != nil {
				return res, err
			}
			smp, err := runWrk(c.url(port, s), script, duration, cmp.Or(s.connections, connections), threads, 2*time.Second)
			if err != nil {
				return res, err
			}
			cpuAfter, err := caddy.cpuTime()
			if err != nil {
				return res, err
			}
			smp.cpu = time.Duration(float64(cpuAfter-cpuBefore) / (smp.rps * duration.Seconds()))
			if profiling != nil {
				if err := <-profiling; err != nil {
					return res, err
				}
			}
			if port == c.gatePort {
				res.gate = append(res.gate, smp)
			} else {
				res.plain = append(res.plain, smp)
			}
		}
	}
	return res, nil
}

// profile fetches a CPU profile of Caddy over most of the next wrk run, then
// an allocation profile, from Caddy's admin endpoint.
func (c config) profile(dir string, duration time.Duration) chan error {
	done := make(chan error, 1)
	seconds := max(1, int(duration.Seconds())-1)
	go func() {
		base := fmt.Sprintf("http://localhost:%d/debug/pprof/", c.adminPort)
		if err := fetch(base+fmt.Sprintf("profile?seconds=%d", seconds), filepath.Join(dir, "cpu.pprof")); err != nil {
			done <- err
			return
		}
		done <- fetch(base+"allocs", filepath.Join(dir, "allocs.pprof"))
	}()
	return done
}

func fetch(url, path string) error {
	res, err := http.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("%s: %s", url, res.Status)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, res.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// wrkScript sets the scenario's method, headers and body.
func wrkScript(s scenario) string {
	var b strings.Builder
	fmt.Fprintf(&b, "wrk.method = %q\n", s.method)
	if s.body != "" {
		fmt.Fprintf(&b, "wrk.body = %q\n", s.body)
	}
	keys := make([]string, 0, len(s.headers))
	for k := range s.headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "wrk.headers[%q] = %q\n", k, s.headers[k])
	}
	return b.String()
}

// runWrk runs wrk and reads its requests/s and latency percentiles. Socket
// errors (a request over timeout is one) or answers other than 2xx/3xx
// fail the run: a benchmark of errors measures nothing.
func runWrk(url, script string, duration time.Duration, connections, threads int, timeout time.Duration) (sample, error) {
	out, err := exec.Command("wrk", "-t", fmt.Sprint(threads), "-c", fmt.Sprint(connections),
		"-d", fmt.Sprintf("%ds", max(1, int(duration.Round(time.Second).Seconds()))),
		"--timeout", fmt.Sprintf("%ds", max(1, int(timeout.Round(time.Second).Seconds()))),
		"--latency", "-s", script, url).CombinedOutput()
	if err != nil {
		return sample{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	return parseWrk(string(out))
}

func parseWrk(out string) (sample, error) {
	var s sample
	var err error
	for line := range strings.SplitSeq(out, "\n") {
		fields := strings.Fields(line)
		switch {
		case len(fields) == 2 && fields[0] == "Requests/sec:":
			_, err = fmt.Sscanf(fields[1], "%g", &s.rps)
		case len(fields) == 2 && fields[0] == "50%":
			s.p50, err = parseWrkDuration(fields[1])
		case len(fields) == 2 && fields[0] == "99%":
			s.p99, err = parseWrkDuration(fields[1])
		case strings.HasPrefix(strings.TrimSpace(line), "Non-2xx or 3xx responses:"),
			strings.HasPrefix(strings.TrimSpace(line), "Socket errors:"):
			return s, fmt.Errorf("wrk saw errors: %s\n%s", strings.TrimSpace(line), out)
		}
		if err != nil {
			return s, fmt.Errorf("reading wrk's %q: %v", line, err)
		}
	}
	if s.rps == 0 || s.p50 == 0 || s.p99 == 0 {
		return s, fmt.Errorf("no requests/s or latency in wrk's output:\n%s", out)
	}
	return s, nil
}

// parseWrkDuration reads wrk's "812.00us", "1.23ms", "2.00s".
func parseWrkDuration(s string) (time.Duration, error) {
	for _, unit := range []struct {
		suffix string
		scale  time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"m", time.Minute}, {"s", time.Second}} {
		if number, ok := strings.CutSuffix(s, unit.suffix); ok {
			var v float64
			if _, err := fmt.Sscanf(number, "%g", &v); err != nil {
				return 0, err
			}
			return time.Duration(v * float64(unit.scale)), nil
		}
	}
	return 0, fmt.Errorf("unknown unit in %q", s)
}

// printResults prints the table and reports whether every goal was met.
func printResults(results []result) bool {
	fmt.Printf("%-36s %12s %12s %7s %19s %19s %10s  %s\n", "scenario", "plain req/s", "chatgate", "ratio",
		"p50 plain/chatgate", "p99 plain/chatgate", "p99 added", "goal")
	met := true
	for _, r := range results {
		plain, gate := medianSample(r.plain), medianSample(r.gate)
		ratio := gate.rps / plain.rps
		added := gate.p99 - plain.p99
		verdict := "reported"
		if r.goal > 0 {
			ok := ratio >= r.goal && (r.maxAddedP99 == 0 || added <= r.maxAddedP99)
			met = met && ok
			verdict = fmt.Sprintf(">= %.2fx", r.goal)
			if r.maxAddedP99 > 0 {
				verdict += fmt.Sprintf(", p99 +%s", r.maxAddedP99)
			}
			verdict += map[bool]string{true: ": met", false: ": NOT MET"}[ok]
		}
		fmt.Printf("%-36s %12.0f %12.0f %6.3fx %19s %19s %10s  %s\n", r.name, plain.rps, gate.rps, ratio,
			ms(plain.p50)+" / "+ms(gate.p50), ms(plain.p99)+" / "+ms(gate.p99), ms(added), verdict)
	}
	// wrk and the backend share the machine's cores with Caddy: Caddy's own
	// CPU time per request shows what chatgate adds without their share.
	fmt.Printf("\n%-36s %14s %14s %14s\n", "Caddy's CPU time per request", "plain", "chatgate", "added")
	for _, r := range results {
		plain, gate := medianSample(r.plain), medianSample(r.gate)
		fmt.Printf("%-36s %12.0fµs %12.0fµs %12.0fµs\n", r.name, us(plain.cpu), us(gate.cpu), us(gate.cpu-plain.cpu))
	}
	return met
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// medianSample takes each measure's median over the rounds.
func medianSample(samples []sample) sample {
	var rps []float64
	var p50, p99 []time.Duration
	for _, s := range samples {
		rps, p50, p99 = append(rps, s.rps), append(p50, s.p50), append(p99, s.p99)
	}
	sort.Float64s(rps)
	sort.Slice(p50, func(i, j int) bool { return p50[i] < p50[j] })
	sort.Slice(p99, func(i, j int) bool { return p99[i] < p99[j] })
	var cpu []time.Duration
	for _, s := range samples {
		cpu = append(cpu, s.cpu)
	}
	slices.Sort(cpu)
	return sample{rps: rps[len(rps)/2], p50: p50[len(p50)/2], p99: p99[len(p99)/2], cpu: cpu[len(cpu)/2]}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// memoryRun drives each site, in a fresh Caddy, with many clients of the
// big array, and prints Caddy's peak RSS and the ratio of the two. With
// hundreds of clients on a few cores a request waits its turn for seconds,
// so wrk's timeout is 30 s here: the run measures memory, not latency.
func (c config) memoryRun(s scenario, clients int, duration time.Duration, threads int) error {
	fmt.Printf("\nmemory: %d concurrent clients of %s for %s, each site in a fresh Caddy\n", clients, s.name, duration)
	script := filepath.Join(c.dir, "memory.lua")
	if err := os.WriteFile(script, []byte(wrkScript(s)), 0o600); err != nil {
		return err
	}
	return c.comparePeakRSS(func(port int) (string, error) {
		smp, err := runWrk(c.url(port, s), script, duration, clients, threads, 30*time.Second)
		return fmt.Sprintf("%8.0f req/s   p99 %s", smp.rps, ms(smp.p99)), err
	})
}

// slowRun is the slow clients: each site, in a fresh Caddy, answers
// clients requests of scenario s on the 4,000-entity array of size bytes,
// all at once, each on its own connection and read at rate bytes per
// second; it prints Caddy's peak RSS and the ratio of the two.
func (c config) slowRun(s scenario, clients, rate, size int) error {
	s.path = strings.Replace(s.path, "/array", "/big", 1)
	fmt.Printf("\nmemory, slow clients: %d clients of GET %s (4,000 entities, %.1f MB) with %s's headers, each on its own connection reading %.0f KiB/s, each site in a fresh Caddy\n",
		clients, s.path, float64(size)/1e6, s.name[:3], float64(rate)/(1<<10))
	readTime := time.Duration(size) * time.Second / time.Duration(rate)
	return c.comparePeakRSS(func(port int) (string, error) {
		client := &http.Client{
			Transport: &http.Transport{DisableCompression: true, MaxConnsPerHost: clients, MaxIdleConnsPerHost: clients},
			Timeout:   2*readTime + 30*time.Second,
		}
		defer client.CloseIdleConnections()
		start := time.Now()
		errs := make([]error, clients)
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() { errs[i] = c.slowCheck(client, s, port, rate, size) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("all %d bodies in %.1f s", clients, time.Since(start).Seconds()), nil
	})
}

// slowCheck sends s to the site on port and reads the answer at rate bytes
// per second. The answer must be 200; plain reverse_proxy's must be the
// backend's size bytes, and chatgate's must have converted the dates, which
// its first 64 KiB shows.
func (c config) slowCheck(client *http.Client, s scenario, port, rate, size int) error {
	req, err := http.NewRequest(s.method, c.url(port, s), nil)
	if err != nil {
		return err
	}
	for k, v := range s.headers {
		req.Header.Set(k, v)
	}
	status, length, head, err := slowGet(client, req, rate)
	switch {
	case err != nil:
		return err
	case status != 200 || length == 0 || port == c.plainPort && length != int64(size):
		return fmt.Errorf("slow client: %d, %d bytes: %.300s", status, length, head)
	case port == c.gatePort && !bytes.Contains(head, []byte(`"WhenRequested":"2000-12-04T05:10:26.1095254-05:00"`)):
		return fmt.Errorf("slow client: no converted WhenRequested in chatgate's answer: %.300s", head)
	}
	return nil
}

// slowGet does req and reads the body 16 KiB at a time at rate bytes per
// second, like a client on a slow link. It returns the status, the body's
// length and its first 64 KiB.
func slowGet(client *http.Client, req *http.Request, rate int) (status int, length int64, head []byte, err error) {
	res, err := client.Do(req)
	if err != nil {
		return 0, 0, nil, err
	}
	defer res.Body.Close()
	buf := make([]byte, 16<<10)
	start := time.Now()
	for {
		n, err := res.Body.Read(buf)
		if len(head) < 64<<10 {
			head = append(head, buf[:min(n, 64<<10-len(head))]...)
		}
		length += int64(n)
		time.Sleep(paceDelay(length, rate, time.Since(start)))
		if err == io.EOF {
			return res.StatusCode, length, head, nil
		}
		if err != nil {
			return res.StatusCode, length, head, err
		}
	}
}

// paceDelay is how long a reader that has read n bytes in elapsed must wait
// for its average to come down to rate bytes per second.
func paceDelay(n int64, rate int, elapsed time.Duration) time.Duration {
	return max(0, time.Duration(n)*time.Second/time.Duration(rate)-elapsed)
}

// comparePeakRSS starts a fresh Caddy for each site, runs load on the
// site's port, and prints Caddy's peak RSS with load's summary, then the
// ratio of chatgate's peak to plain reverse_proxy's.
func (c config) comparePeakRSS(load func(port int) (summary string, err error)) error {
	var peaks []int64
	for _, site := range []struct {
		name string
		port int
	}{{"plain reverse_proxy", c.plainPort}, {"chatgate + reverse_proxy", c.gatePort}} {
		caddy, err := c.start()
		if err != nil {
			return err
		}
		summary, err := load(site.port)
		peak, rssErr := caddy.peakRSS()
		caddy.stop()
		if err != nil {
			return err
		}
		if rssErr != nil {
			return rssErr
		}
		fmt.Printf("  %-26s peak RSS %6.0f MiB   %s\n", site.name, float64(peak)/(1<<20), summary)
		peaks = append(peaks, peak)
	}
	fmt.Printf("  peak RSS of chatgate over plain: %.2fx (goal: at most 1.3x)\n", float64(peaks[1])/float64(peaks[0]))
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func cpuModel() string {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.SplitSeq(string(info), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}
