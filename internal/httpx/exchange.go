package httpx

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"
)

// maxBody caps how much of an answer is kept: enough for any OAuth or GraphQL
// answer, small enough that a misrouted download cannot exhaust memory.
const maxBody = 1 << 20

// Exchange is one HTTP request and its answer (or transport error) exactly as
// seen on the wire. gocloak flattens errors into strings; the exchange keeps
// the status, headers, body and the typed error for classification.
type Exchange struct {
	Method   string
	URL      string
	Status   int
	Header   http.Header
	Body     []byte
	Err      error // transport error, typed (errors.As works)
	Duration time.Duration
	// Sent is true once the whole request was written to a connection: a
	// failure after that is the server's silence, not the network's refusal.
	Sent bool
}

// ContentType returns the media type of the answer, lower-cased, without parameters.
func (e Exchange) ContentType() string { return mediaType(e.Header.Get("Content-Type")) }

// Recorder collects the exchanges of the requests made with its context.
type Recorder struct {
	mu        sync.Mutex
	exchanges []Exchange
}

type recorderKey struct{}

// Record returns a context whose requests are recorded in the returned Recorder.
func Record(ctx context.Context) (context.Context, *Recorder) {
	r := &Recorder{}
	return context.WithValue(ctx, recorderKey{}, r), r
}

// Last returns the last exchange recorded, and false when there was none.
func (r *Recorder) Last() (Exchange, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.exchanges) == 0 {
		return Exchange{}, false
	}
	return r.exchanges[len(r.exchanges)-1], true
}

// Count returns how many attempts were made (retries included).
func (r *Recorder) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.exchanges)
}

func (r *Recorder) add(e Exchange) {
	r.mu.Lock()
	r.exchanges = append(r.exchanges, e)
	r.mu.Unlock()
}

// recordingTransport records every attempt (it sits below the retry layer) in
// the Recorder of the request's context, if any.
type recordingTransport struct{ next http.RoundTripper }

func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	var sent atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(w httptrace.WroteRequestInfo) { sent.Store(w.Err == nil) },
	}))
	resp, err := t.next.RoundTrip(req)
	ex := Exchange{Method: req.Method, URL: req.URL.String(), Err: err}
	if resp != nil {
		body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		ex.Status, ex.Header, ex.Body = resp.StatusCode, resp.Header.Clone(), body
		if readErr != nil && err == nil {
			ex.Err = readErr
		}
	}
	ex.Duration = time.Since(start)
	ex.Sent = sent.Load()
	if rec, ok := req.Context().Value(recorderKey{}).(*Recorder); ok {
		rec.add(ex)
	}
	return resp, err
}
