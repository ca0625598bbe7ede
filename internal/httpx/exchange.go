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

	"github.com/authdoctor/authdoctor/internal/redact"
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
	// Start is when the attempt began, by this machine's clock: the answer
	// was produced between Start and Start+Duration, which bounds a server
	// clock read from it (its Date header, a token's iat).
	Start time.Time
	// Sent is true once the whole request was written to a connection: a
	// failure after that is the server's silence, not the network's refusal.
	Sent bool
	// Secrets are the run's secrets (nil outside a run): whatever quotes the
	// body scrubs them first, before it rewrites or shortens the text.
	Secrets *redact.Set
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
type recordingTransport struct {
	next    http.RoundTripper
	secrets *redact.Set
}

func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	var sent atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(w httptrace.WroteRequestInfo) { sent.Store(w.Err == nil) },
	}))
	resp, err := t.next.RoundTrip(req)
	ex := Exchange{Method: req.Method, URL: req.URL.String(), Err: err, Secrets: t.secrets, Start: start}
	if resp != nil {
		body, readErr := answerOf(resp)
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

// bodyTransport is the layer next to the network: it reads every answer's
// body (at most maxBody bytes) once, registers the tokens it carries with
// the run's secrets (learnTokens) before any layer above can print it, and
// hands the bytes up. The layers above read them with answerOf.
type bodyTransport struct {
	next    http.RoundTripper
	secrets *redact.Set
}

func (t bodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if resp == nil {
		return resp, err
	}
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	_ = resp.Body.Close()
	learnTokens(data, t.secrets)
	resp.Body = &answerBody{data: data, err: readErr, r: bytes.NewReader(data)}
	return resp, err
}

// answerBody is a body read in full by bodyTransport, with the error that
// ended the reading (a stall cut by the deadline, a reset), if any. Reading
// it returns the bytes, then io.EOF: what arrived is passed on.
type answerBody struct {
	data []byte
	err  error
	r    *bytes.Reader
}

func (b *answerBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *answerBody) Close() error               { return nil }

// answerOf returns the body bodyTransport read, and the error that ended
// the reading, without consuming it.
func answerOf(resp *http.Response) ([]byte, error) {
	if b, ok := resp.Body.(*answerBody); ok {
		return b.data, b.err
	}
	// Not read below (a test's transport): read it here, once.
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	_ = resp.Body.Close()
	resp.Body = &answerBody{data: data, err: err, r: bytes.NewReader(data)}
	return data, err
}
