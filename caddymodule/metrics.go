package caddymodule

import (
	"errors"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are chatgate's collectors. They are made once per process and
// registered in the Prometheus registry of each config that provisions a
// chatgate handler: the one Caddy's metrics directive and admin /metrics
// serve. Caddy makes a new registry on every config load, so collectors
// made per config would restart at zero on each reload; these go on
// counting, as Caddy's own admin and config metrics do. Every chatgate
// handler of every config shares them.
type metrics struct {
	refused    *prometheus.CounterVec // by reason: the error body's ErrorType
	transforms *prometheus.CounterVec // by kind: select, timezone, language, xml
	// transformed are transforms' counters, by kind (transformKinds' index),
	// found once: a label lookup per answer hashes and locks
	transformed [len(transformKinds)]prometheus.Counter
	duration    prometheus.Histogram   // one transformed answer's pass
	bodies      *prometheus.CounterVec // by body (request, response) and cause (too_large, invalid)
}

// The label values of chatgate_bodies_refused_total.
const (
	bodyRequest   = "request"
	bodyResponse  = "response"
	causeTooLarge = "too_large"
	causeInvalid  = "invalid"
)

// processMetrics are the collectors, made on first use.
var processMetrics = sync.OnceValue(func() *metrics {
	m := &metrics{
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatgate_requests_refused_total",
			Help: "Requests chatgate answered with a 4xx error body, by reason (the body's ErrorType).",
		}, []string{"reason"}),
		transforms: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatgate_transforms_total",
			Help: "Answers transformed, by kind of transform (select, timezone, language, xml); one answer can count under several kinds.",
		}, []string{"kind"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "chatgate_transform_duration_seconds",
			Help:    "Time to decode, transform and encode one held answer.",
			Buckets: prometheus.ExponentialBuckets(0.00001, 4, 10), // 10 µs to 2.6 s
		}),
		bodies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatgate_bodies_refused_total",
			Help: "Bodies refused, by body (request, response) and cause (too_large, invalid).",
		}, []string{"body", "cause"}),
	}
	for kind, name := range transformKinds {
		m.transformed[kind] = m.transforms.WithLabelValues(name)
	}
	return m
})

// newMetrics registers the process's collectors in registry (once: a second
// handler of the same config finds them there) and returns them.
func newMetrics(registry *prometheus.Registry) (*metrics, error) {
	m := processMetrics()
	for _, c := range []prometheus.Collector{m.refused, m.transforms, m.duration, m.bodies} {
		err := registry.Register(c)
		var already prometheus.AlreadyRegisteredError
		if err != nil && !(errors.As(err, &already) && already.ExistingCollector == c) {
			return nil, err
		}
	}
	return m, nil
}
