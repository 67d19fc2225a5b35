// The Go floor of the peer benchmark: net/http over TLS that reads each body fully and answers a
// constant AdmissionReview (the bytes credinject answered for the benchmark review), so it shows
// what the wire and TLS cost a Go server before any webhook work. The Go twin of
// bench/floorServer.mjs, with the same arguments; prints {"port":N} once it listens.
//
// Usage: go-floor <cert.pem> <key.pem> <response.json>
package main

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: go-floor <cert.pem> <key.pem> <response.json>")
		os.Exit(2)
	}
	certFile, keyFile, responseFile := os.Args[1], os.Args[2], os.Args[3]
	answer, err := os.ReadFile(responseFile)
	if err != nil {
		log.Fatal(err)
	}
	length := strconv.Itoa(len(answer))
	mux := http.NewServeMux()
	mux.HandleFunc("/mutate", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", length)
		_, _ = w.Write(answer)
	})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	// The TLS floor vault-k8s serves with (its default -tls-min-version tls12).
	server := &http.Server{
		Handler:   mux,
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12},
		ErrorLog:  log.New(quietHandshakes{}, "go-floor: ", log.LstdFlags),
	}
	fmt.Printf("{\"port\":%d}\n", listener.Addr().(*net.TCPAddr).Port)
	log.Fatal(server.ServeTLS(listener, certFile, keyFile))
}

// quietHandshakes passes the server's error log to stderr without "TLS handshake error" lines: a
// load generator closing a connection it opened but never used (wrk at the end of its run) is no
// fault of the floor, and the lines would be mixed into the benchmark's report.
type quietHandshakes struct{}

func (quietHandshakes) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("TLS handshake error")) {
		return len(p), nil
	}
	return os.Stderr.Write(p)
}
