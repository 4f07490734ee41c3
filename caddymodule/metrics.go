package caddymodule

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are chatgate's collectors, registered in the Prometheus registry
// of the config that provisioned the handler: the one Caddy's metrics
// directive and admin /metrics serve. Every chatgate handler of a config
// shares them.
type metrics struct {
	refused    *prometheus.CounterVec // by reason: the error body's ErrorType
	transforms *prometheus.CounterVec // by kind: select, timezone, language, xml
	duration   prometheus.Histogram   // one transformed answer's pass
	bodies     *prometheus.CounterVec // by body (request, response) and cause (too_large, invalid)
}

// The label values of chatgate_bodies_refused_total.
const (
	bodyRequest   = "request"
	bodyResponse  = "response"
	causeTooLarge = "too_large"
	causeInvalid  = "invalid"
)

func newMetrics(registry *prometheus.Registry) (*metrics, error) {
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
	var err error
	if m.refused, err = register(registry, m.refused); err != nil {
		return nil, err
	}
	if m.transforms, err = register(registry, m.transforms); err != nil {
		return nil, err
	}
	if m.duration, err = register(registry, m.duration); err != nil {
		return nil, err
	}
	if m.bodies, err = register(registry, m.bodies); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c, or returns the collector a handler provisioned
// earlier in the same config registered under its name.
func register[C prometheus.Collector](registry *prometheus.Registry, c C) (C, error) {
	err := registry.Register(c)
	var already prometheus.AlreadyRegisteredError
	if errors.As(err, &already) {
		if existing, ok := already.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, err
}
