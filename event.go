package ducha

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// Event is one append-only record of a change: who, when, what, the fields
// before and after. Events form a hash chain: each hash covers the event and
// the previous hash, so an altered or deleted row breaks the chain.
// EventMark names a point of the audit chain: an event's id and hash.
type EventMark struct {
	ID   int64
	Hash string
}

type Event struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	ActorID  int64           `json:"actor_id"`
	Actor    string          `json:"actor"`
	Entity   string          `json:"entity"`
	EntityID int64           `json:"entity_id"`
	Action   string          `json:"action"`
	Note     string          `json:"note,omitempty"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// ComputeHash returns the chain hash of e given e.PrevHash.
func (e *Event) ComputeHash() string {
	h := sha256.New()
	for _, s := range []string{
		e.PrevHash, strconv.FormatInt(e.ID, 10), FormatTime(e.At),
		strconv.FormatInt(e.ActorID, 10), e.Actor, e.Entity,
		strconv.FormatInt(e.EntityID, 10), e.Action, e.Note,
		string(e.Before), string(e.After),
	} {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Diff returns the fields of before and after (any JSON-marshalable values)
// that differ, as two JSON objects. Either may be nil (creation, deletion).
func Diff(before, after any) (json.RawMessage, json.RawMessage) {
	b, a := toMap(before), toMap(after)
	ob, oa := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			oa[k] = v
			if ok {
				ob[k] = w
			}
		}
	}
	for k, w := range b {
		if _, ok := a[k]; !ok {
			ob[k] = w
		}
	}
	return marshalNonEmpty(ob), marshalNonEmpty(oa)
}

func toMap(v any) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	if v == nil {
		return m
	}
	b, err := json.Marshal(v)
	if err != nil {
		return m
	}
	_ = json.Unmarshal(b, &m)
	for k, raw := range m {
		// Derived and bookkeeping fields are not changes.
		switch k {
		case "version", "updated_at", "overdue", "warning", "attachments",
			// Progress entries are a table of their own (the action's note
			// says what was reported); behind_schedule is derived.
			// (behind_from is kept: the schedule filter's caches see it move.)
			"progress", "behind_schedule":
			delete(m, k)
			continue
		}
		if s := string(raw); s == "null" || s == `""` || s == "[]" || s == "0" || s == "false" {
			delete(m, k)
		}
	}
	return m
}

func marshalNonEmpty(m map[string]json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	b, _ := json.Marshal(m) // map keys marshal sorted: stable for the hash
	return b
}

// AuditService checks the event chain.
type AuditService interface {
	// VerifyChain walks every event in order; it returns the first broken
	// event's id (0 when the chain is whole) and how many were checked.
	VerifyChain(ctx context.Context) (brokenID int64, checked int, err error)
	// DataVersion is the id of the last event. Every write appends an
	// event, so it changes with every write, from any instance: caches of
	// read results are keyed on it.
	DataVersion(ctx context.Context) (int64, error)
}

// Attachment is an evidence photo or document stored with a problem.
type Attachment struct {
	ID          int64     `json:"id"`
	ProblemID   int64     `json:"problem_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// MaxAttachmentSize bounds one upload.
const MaxAttachmentSize = 20 << 20

// AttachmentService stores evidence in the database, so backups and every
// instance see it.
type AttachmentService interface {
	AddAttachment(ctx context.Context, a *Attachment) error
	// FindAttachment returns the attachment with its data, scoped like its problem.
	FindAttachment(ctx context.Context, id int64) (*Attachment, error)
}
