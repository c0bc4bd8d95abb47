package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// The generic webhook is ducha's own format: a JSON object posted to the
// URL, and, when the channel has a secret, the headers
//
//	X-Ducha-Timestamp: <unix seconds>
//	X-Ducha-Signature: sha256=<hex HMAC-SHA256(key=secret, msg=timestamp+"."+body)>
//
// A receiver recomputes the signature over the raw body, compares it in
// constant time, and rejects stale timestamps; Idempotency-Key lets it drop
// a repeated delivery. Any 2xx answer is success.
type webhookBody struct {
	Key    string `json:"key"`
	Event  string `json:"event"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	Link   string `json:"link"`
	SentAt string `json:"sent_at"` // RFC 3339
}

// WebhookSignature is the X-Ducha-Signature value of body sent at timestamp
// (unix seconds), for receivers written in Go.
func WebhookSignature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func (s *Sender) sendWebhook(ctx context.Context, ch Channel, m Message) error {
	where := "Webhook（" + site(ch.URL) + "）"
	now := s.now()
	body := marshal(webhookBody{
		Key: m.Key, Event: m.Event, Title: m.Title, Text: m.Text, Link: m.Link,
		SentAt: now.Format(time.RFC3339),
	})
	h := http.Header{}
	if ch.Secret != "" {
		ts := strconv.FormatInt(now.Unix(), 10)
		h.Set("X-Ducha-Timestamp", ts)
		h.Set("X-Ducha-Signature", WebhookSignature(ch.Secret, ts, body))
	}
	a, err := s.post(ctx, where, ch.URL, m.Key, body, h)
	if err != nil {
		return err
	}
	if e := statusError(where, a, now); e != nil {
		return e
	}
	return nil
}
