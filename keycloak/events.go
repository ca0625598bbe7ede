package keycloak

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/internal/httpx"
)

// The event types a failed grant leaves (org.keycloak.events.EventType).
const (
	EventLoginError        = "LOGIN_ERROR"         // password grant
	EventClientLoginError  = "CLIENT_LOGIN_ERROR"  // client-credentials grant
	EventRefreshTokenError = "REFRESH_TOKEN_ERROR" // refresh-token grant; not stored unless listed
)

// Event is one stored user event, Keycloak's EventRepresentation. It is
// read with this type because gocloak's drops the event's error.
type Event struct {
	Time      time.Time
	Type      string
	ClientID  string
	UserID    string
	IPAddress string
	Error     string
	Details   map[string]string
}

// Username is the username the event names: the details' "username",
// which Keycloak records even when no such user exists.
func (e Event) Username() string { return e.Details["username"] }

// EventQuery selects events. Keycloak filters by type, client id and user
// id; Since is applied here as well, because servers before 26.7 read
// dateFrom as a day only.
type EventQuery struct {
	Types  []string
	Client string // the client's clientId
	UserID string // the user's internal id
	Since  time.Time
	Max    int
}

// Events reads a realm's stored events, newest first (needs view-events).
func (a *Admin) Events(ctx context.Context, q EventQuery) ([]Event, *AdminError) {
	params := url.Values{}
	for _, t := range q.Types {
		params.Add("type", t)
	}
	if q.Client != "" {
		params.Set("client", q.Client)
	}
	if q.UserID != "" {
		params.Set("user", q.UserID)
	}
	if !q.Since.IsZero() {
		// A day before, in UTC: the server reads the day in its own time
		// zone, and the exact bound is applied below.
		params.Set("dateFrom", q.Since.UTC().Add(-24*time.Hour).Format("2006-01-02"))
	}
	if q.Max > 0 {
		params.Set("max", strconv.Itoa(q.Max))
	}
	ex := a.get(ctx, "/events", params)
	if ae := classifyAdmin(ex); ae != nil {
		return nil, ae
	}
	events, err := decodeEvents(ex.Body)
	if err != nil {
		return nil, &AdminError{Status: ex.Status, Problem: httpx.Unexpected(ex)}
	}
	var out []Event
	for _, e := range events {
		if q.Since.IsZero() || !e.Time.Before(q.Since) {
			out = append(out, e)
		}
	}
	return out, nil
}

// decodeEvents reads a list of events field by field: a value of an
// unexpected type is left empty instead of failing the whole list.
func decodeEvents(body []byte) ([]Event, error) {
	var raw []map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(raw))
	for _, r := range raw {
		e := Event{
			Type: text(r["type"]), ClientID: text(r["clientId"]), UserID: text(r["userId"]),
			IPAddress: text(r["ipAddress"]), Error: text(r["error"]), Details: map[string]string{},
		}
		if ms, ok := r["time"].(float64); ok {
			e.Time = time.UnixMilli(int64(ms))
		}
		if d, ok := r["details"].(map[string]any); ok {
			for k, v := range d {
				e.Details[k] = text(v)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// text renders a JSON scalar as text; anything else is "".
func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// EventsConfig is the realm's user-events setting
// (RealmEventsConfigRepresentation).
type EventsConfig struct {
	Enabled      bool     `json:"eventsEnabled"`
	EnabledTypes []string `json:"enabledEventTypes"`
	// ServerTime is the Date of the answer: the server's clock.
	ServerTime time.Time `json:"-"`
}

// Saves reports whether the realm stores events of this type. An empty
// list means Keycloak's defaults, which store LOGIN_ERROR and
// CLIENT_LOGIN_ERROR but not REFRESH_TOKEN_ERROR (EventType.saveByDefault).
func (c EventsConfig) Saves(eventType string) bool {
	if !c.Enabled {
		return false
	}
	if len(c.EnabledTypes) == 0 {
		return eventType != EventRefreshTokenError
	}
	return slices.Contains(c.EnabledTypes, eventType)
}

// EventsConfig reads the realm's user-events setting (needs view-events).
func (a *Admin) EventsConfig(ctx context.Context) (*EventsConfig, *AdminError) {
	ex := a.get(ctx, "/events/config", nil)
	if ae := classifyAdmin(ex); ae != nil {
		return nil, ae
	}
	var c EventsConfig
	if err := json.Unmarshal(ex.Body, &c); err != nil {
		return nil, &AdminError{Status: ex.Status, Problem: httpx.Unexpected(ex)}
	}
	c.ServerTime, _ = http.ParseTime(ex.Header.Get("Date"))
	return &c, nil
}

// FindAttempt picks, among events, those of one token request: same type
// family, client and user, within slack of the server's time of the answer
// (its Date header, so this machine's clock plays no part). The newest
// comes first. An event that names no username is kept: a failed client
// authentication records only grant_type, even in a password grant
// (measured on Keycloak 26.7.3).
func FindAttempt(events []Event, types []string, clientID, username string, serverTime time.Time, slack time.Duration) []Event {
	var out []Event
	for _, e := range events {
		if !slices.Contains(types, e.Type) || e.ClientID != clientID {
			continue
		}
		if username != "" && e.Username() != "" && !strings.EqualFold(e.Username(), username) {
			continue
		}
		if d := e.Time.Sub(serverTime); d < -slack || d > slack {
			continue
		}
		out = append(out, e)
	}
	return out
}

// String is one line for logs and tests.
func (e Event) String() string {
	return fmt.Sprintf("%s %s client=%s user=%s error=%s", e.Time.UTC().Format(time.RFC3339), e.Type, e.ClientID, e.Username(), e.Error)
}
