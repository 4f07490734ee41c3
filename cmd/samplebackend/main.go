// Command samplebackend runs the sample legacy chat backend for demos.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"github.com/chatgate/chatgate/samplebackend"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8081", "address to listen on")
	flag.Parse()
	srv := &http.Server{Addr: *listen, Handler: samplebackend.New(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("sample chat backend on http://%s (GET /chat/sessions)", *listen)
	log.Fatal(srv.ListenAndServe())
}
