// Package notify delivers caseboard's alerts to webhooks: the bodies of
// each format, the signature, and the deliverer that the process holding
// the store runs beside it (store's outbox keeps what is owed).
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"caseboard/model"
)

// SignatureHeader carries the HMAC-SHA256 of the body, "sha256=HEX".
const SignatureHeader = "X-Caseboard-Signature"

// Sign is the header value for body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// chatText escapes what a chat would read as markup: Slack's and Teams'
// <link|label>, <!channel> and entities. The text is already inert.
func chatText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// Body is what a hook of the format receives for the alert.
func Body(format string, a *model.Alert, p *model.Policy) ([]byte, error) {
	var v any
	switch format {
	case model.HookJSON, "":
		v = model.AlertToRecord(a, p)
	case model.HookSlack:
		v = struct {
			Text string `json:"text"`
		}{chatText(model.Inert(a.Text)) + "\n" + chatText(a.CaseLine())}
	case model.HookTeams:
		v = struct {
			Type    string `json:"@type"`
			Context string `json:"@context"`
			Summary string `json:"summary"`
			Text    string `json:"text"`
		}{"MessageCard", "https://schema.org/extensions", chatText(model.Inert(a.Text)),
			chatText(model.Inert(a.Text)) + "\n\n" + chatText(a.CaseLine())}
	default:
		return nil, fmt.Errorf("unknown hook format %q", format)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Result is one attempt's outcome: the HTTP status (0 when no answer came)
// and what went wrong, in one line.
type Result struct {
	Status int
	Err    string
}

// OK reports a 2xx answer.
func (r Result) OK() bool { return r.Status >= 200 && r.Status <= 299 }

// Retry reports whether another attempt may succeed: no answer, or a 5xx
// (or 429, the receiver asking to slow down). Any other 4xx is final.
func (r Result) Retry() bool {
	return r.Status == 0 || r.Status >= 500 || r.Status == http.StatusTooManyRequests
}

// Post sends one alert to a hook and returns the outcome. It never
// follows a redirect (a hook's URL is where alerts go, not somewhere it
// points to) and gives up after timeout.
func Post(ctx context.Context, client *http.Client, h *model.Hook, a *model.Alert, p *model.Policy, timeout time.Duration) Result {
	body, err := Body(h.Format, a, p)
	if err != nil {
		return Result{Err: err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return Result{Err: oneLine(err.Error())}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "caseboard")
	req.Header.Set("X-Caseboard-Alert", a.ID)
	if h.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(h.Secret, body))
	}
	resp, err := client.Do(req)
	if err != nil {
		// The URL (and its token) stays out of the log and the hook log.
		msg := err.Error()
		if ue, ok := err.(interface{ Unwrap() error }); ok && ue.Unwrap() != nil {
			msg = ue.Unwrap().Error()
		}
		return Result{Err: oneLine(msg)}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	r := Result{Status: resp.StatusCode}
	if !r.OK() {
		r.Err = resp.Status
	}
	return r
}

// NewClient is the HTTP client of deliveries: no redirects followed.
func NewClient() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func oneLine(s string) string { return model.Inert(strings.Join(strings.Fields(s), " ")) }
