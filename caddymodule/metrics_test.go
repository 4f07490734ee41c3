package caddymodule

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestMetrics(t *testing.T) {
	ctx := testContext(t)
	h := Handler{MaxRequestBody: 64, MaxResponseBody: 1 << 10}
	if err := h.Provision(ctx); err != nil {
		t.Fatal(err)
	}
	// A second handler in the same config shares the collectors.
	second := Handler{}
	if err := second.Provision(ctx); err != nil {
		t.Fatalf("a second handler: %v", err)
	}
	// The collectors are the process's: other tests count in them too, so
	// this one counts what its own requests add. (Tests run one at a time
	// in a package unless they call t.Parallel, which the handler tests do
	// not.)
	before := gathered(t, ctx.GetMetricsRegistry())
	jsonType := http.Header{"Content-Type": {"application/json"}}
	get := func(target string, headers ...string) *http.Request {
		r := httptest.NewRequest("GET", target, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		return r
	}
	serve(&h, answering(200, jsonType, `{"a":"2021-01-15T12:00:00","b":2}`), get("/x?$select=a", "SO-TimeZone", "NO", "Accept", "application/xml"))
	serve(&h, answering(200, jsonType, `{"a":1}`), get("/x", "SO-Language", "nb"))
	serve(&h, answering(200, jsonType, `{"a":`), get("/x?$select=a"))
	serve(&h, answering(200, jsonType, `{"a":"`+strings.Repeat("x", 2<<10)+`"}`), get("/x?$select=a"))
	serve(&second, answering(200, jsonType, `{}`), get("/x?$select=a//b"))
	serveRaw(&h, &fakeNext{}, get("/x", "Authorization", "SoTicket nope"))
	serve(&h, &fakeNext{}, post("/api/v1/Agents/Chat/AcceptChatSessionTransfer", "application/json", strings.Repeat(" ", 65)))
	serve(&h, &fakeNext{}, post("/api/v1/Agents/Chat/AcceptChatSessionTransfer", "application/json", `{"ChatSessionId":0}`))
	serve(&h, answering(200, jsonType, `{}`), get("/x")) // passthrough: counts nothing

	got := gathered(t, ctx.GetMetricsRegistry())
	for series, v := range before {
		if got[series] -= v; got[series] == 0 {
			delete(got, series)
		}
	}
	for series, want := range map[string]float64{
		`chatgate_bodies_refused_total{body="request",cause="invalid"}`:    1,
		`chatgate_bodies_refused_total{body="request",cause="too_large"}`:  1,
		`chatgate_bodies_refused_total{body="response",cause="invalid"}`:   1,
		`chatgate_bodies_refused_total{body="response",cause="too_large"}`: 1,
		`chatgate_requests_refused_total{reason="BadRequest"}`:             2,
		`chatgate_requests_refused_total{reason="RequestEntityTooLarge"}`:  1,
		`chatgate_requests_refused_total{reason="Unauthorized"}`:           1,
		`chatgate_transforms_total{kind="language"}`:                       1,
		`chatgate_transforms_total{kind="select"}`:                         1,
		`chatgate_transforms_total{kind="timezone"}`:                       1,
		`chatgate_transforms_total{kind="xml"}`:                            1,
		`chatgate_transform_duration_seconds_count`:                        2,
	} {
		if got[series] != want {
			t.Errorf("%s = %v, want %v", series, got[series], want)
		}
		delete(got, series)
	}
	for series, v := range got {
		if strings.HasPrefix(series, "chatgate_") && !strings.HasPrefix(series, "chatgate_transform_duration_seconds_bucket") {
			t.Errorf("unexpected %s = %v", series, v)
		}
	}
}

// A config reload makes a new registry; the counters in it go on from
// where they were, as Caddy's own metrics do.
func TestMetricsSurviveReload(t *testing.T) {
	first := testContext(t)
	h := Handler{}
	if err := h.Provision(first); err != nil {
		t.Fatal(err)
	}
	serveRaw(&h, &fakeNext{}, httptest.NewRequest("GET", "/x", nil)) // no credential: 401
	const series = `chatgate_requests_refused_total{reason="Unauthorized"}`
	was := gathered(t, first.GetMetricsRegistry())[series]
	if was < 1 {
		t.Fatalf("%s = %v before the reload", series, was)
	}
	reloaded := testContext(t) // a new config, a new registry
	h2 := Handler{}
	if err := h2.Provision(reloaded); err != nil {
		t.Fatal(err)
	}
	serveRaw(&h2, &fakeNext{}, httptest.NewRequest("GET", "/x", nil))
	if got := gathered(t, reloaded.GetMetricsRegistry())[series]; got != was+1 {
		t.Fatalf("%s = %v after the reload; want %v", series, got, was+1)
	}
}

// gathered reads every counter and histogram count of registry as
// name{label="value",...} -> value, labels in the registry's order.
func gathered(t *testing.T, registry *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			name := f.GetName()
			if len(labels) > 0 {
				name += "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.GetCounter() != nil:
				out[name] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				out[name+"_count"] = float64(m.GetHistogram().GetSampleCount())
				for _, b := range m.GetHistogram().GetBucket() {
					out[fmt.Sprintf("%s_bucket{le=%q}", name, fmt.Sprint(b.GetUpperBound()))] = float64(b.GetCumulativeCount())
				}
			}
		}
	}
	return out
}
