// The open-loop load client of the peer benchmark: POSTs one body at an even rate (what a busy API
// server sends) over a pool of keep-alive HTTPS/1.1 connections opened beforehand, and prints one
// JSON line with every latency. A latency counts from the request's scheduled send time, not from
// when a connection became free, so a stalled server is not hidden by the client waiting for it
// (coordinated-omission correction). The percentiles are computed by the caller (bench/benchUtil.mjs).
//
// Usage: pace -url https://127.0.0.1:N/mutate -body review.json -ca ca.pem [-rate 500] [-seconds 4] [-connections 10]
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type result struct {
	Requests int     `json:"requests"`
	Errors   int64   `json:"errors"`
	Non2xx   int64   `json:"non2xx"`
	Seconds  float64 `json:"seconds"`
	// Microseconds from each request's scheduled send time to its full answer, in schedule order.
	LatenciesUs []int64 `json:"latenciesUs"`
	// How late the client itself dispatched requests (its own precision), in microseconds.
	SendLagP99Us int64  `json:"sendLagP99Us"`
	MaxSendLagUs int64  `json:"maxSendLagUs"`
	FirstError   string `json:"firstError,omitempty"`
}

func main() {
	url := flag.String("url", "", "endpoint to POST to")
	bodyFile := flag.String("body", "", "file holding the request body")
	caFile := flag.String("ca", "", "PEM of the CA the server's certificate is checked against")
	rate := flag.Float64("rate", 500, "requests per second, evenly spaced")
	seconds := flag.Float64("seconds", 4, "how long to send")
	connections := flag.Int("connections", 10, "keep-alive connections in the pool")
	flag.Parse()
	if *url == "" || *bodyFile == "" || *caFile == "" {
		flag.Usage()
		os.Exit(2)
	}
	body, err := os.ReadFile(*bodyFile)
	fail(err)
	caPem, err := os.ReadFile(*caFile)
	fail(err)
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPem) {
		fail(fmt.Errorf("no certificate in %s", *caFile))
	}
	transport := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: roots},
		MaxConnsPerHost:     *connections,
		MaxIdleConnsPerHost: *connections,
		DisableCompression:  true,
		// HTTP/1.1 only, like wrk and like the Node servers speak.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	client := &http.Client{Transport: transport, Timeout: 5 * time.Second}
	var errors, non2xx atomic.Int64
	var firstError atomic.Value
	post := func() {
		req, err := http.NewRequest(http.MethodPost, *url, bytes.NewReader(body))
		fail(err)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			errors.Add(1)
			firstError.CompareAndSwap(nil, err.Error())
			return
		}
		if _, err := io.Copy(io.Discard, res.Body); err != nil {
			errors.Add(1)
			firstError.CompareAndSwap(nil, err.Error())
		}
		res.Body.Close()
		if res.StatusCode < 200 || res.StatusCode > 299 {
			non2xx.Add(1)
		}
	}

	// Open (handshake) every connection first, all at once so that the pool really holds that many:
	// the API server keeps its connections, so a handshake in the measured window would be ours.
	var warm sync.WaitGroup
	for i := 0; i < *connections; i++ {
		warm.Add(1)
		go func() { defer warm.Done(); post() }()
	}
	warm.Wait()
	errors.Store(0)
	non2xx.Store(0)

	total := int(*rate * *seconds)
	interval := time.Duration(float64(time.Second) / *rate)
	latencies := make([]int64, total)
	lags := make([]int64, total)
	var done sync.WaitGroup
	// The Go runtime's timers wake with millisecond granularity (its netpoller waits in whole ms),
	// which at 2 ms intervals would add up to a millisecond of the client's own lag to every
	// latency. The sending loop sleeps in nanosleep on a thread of its own instead (the kernel's
	// ~50 µs timer slack), with a second P so that waking never waits for the request goroutines.
	if runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2)
	}
	runtime.LockOSThread()
	start := time.Now().Add(20 * time.Millisecond)
	for i := 0; i < total; i++ {
		scheduled := start.Add(time.Duration(i) * interval)
		sleepUntil(scheduled)
		lags[i] = time.Since(scheduled).Microseconds()
		done.Add(1)
		go func(i int, scheduled time.Time) {
			defer done.Done()
			post()
			latencies[i] = time.Since(scheduled).Microseconds()
		}(i, scheduled)
	}
	done.Wait()
	sort.Slice(lags, func(a, b int) bool { return lags[a] < lags[b] })
	out := result{
		Requests:     total,
		Errors:       errors.Load(),
		Non2xx:       non2xx.Load(),
		Seconds:      time.Since(start).Seconds(),
		LatenciesUs:  latencies,
		SendLagP99Us: lags[(len(lags)*99)/100],
		MaxSendLagUs: lags[len(lags)-1],
	}
	if e, ok := firstError.Load().(string); ok {
		out.FirstError = e
	}
	fail(json.NewEncoder(os.Stdout).Encode(out))
}

// sleepUntil blocks this OS thread in nanosleep until t (retrying when a signal interrupts it).
func sleepUntil(t time.Time) {
	for {
		wait := time.Until(t)
		if wait <= 0 {
			return
		}
		ts := syscall.NsecToTimespec(wait.Nanoseconds())
		if err := syscall.Nanosleep(&ts, nil); err != nil && err != syscall.EINTR {
			fail(err)
		}
	}
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "pace:", err)
		os.Exit(1)
	}
}
