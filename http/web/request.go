package web

import (
	"net/http"
	"strconv"
	"strings"

	"ducha"
)

// The document request list (调阅清单): the list, adding items (one, or
// many at once), one item, its history, the supplied file, and the three
// actions: the unit supplies (multipart), the coordinator checks (or
// returns) and hands over (JSON). The store scopes every read to the
// caller's unit; another unit's item answers 404 exactly like a missing one.

// ErrNoRequests answers the request routes of a server built without them.
var ErrNoRequests = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用调阅清单")

// RequestInput is one item of POST /api/v1/requests.
type RequestInput struct {
	No   int           `json:"no"`
	Item string        `json:"item"`
	Unit ducha.UnitRef `json:"unit"`
	Due  string        `json:"due"`
}

func (in RequestInput) Request(field string) (*ducha.DocRequest, error) {
	due, err := ducha.ParseDateISO(strings.TrimSpace(in.Due))
	if err != nil {
		return nil, ducha.FieldError(field, "提供期限格式应为 YYYY-MM-DD")
	}
	return &ducha.DocRequest{No: in.No, Item: in.Item, Unit: string(in.Unit), Due: due}, nil
}

func (s *Server) FindRequest(r *http.Request) (*ducha.DocRequest, error) {
	if s.Requests == nil {
		return nil, ErrNoRequests
	}
	id, err := PathID(r, "调阅事项")
	if err != nil {
		return nil, err
	}
	return s.Requests.FindDocRequestByID(r.Context(), id)
}

// requestActionBody is the JSON body of check and hand_over:
// check {"authentic":true,"consistent":true,"note"?} or
// {"return":true,"reason"}; hand_over {"to"?,"note"?}. The version is
// optional.
type requestActionBody struct {
	Authentic  bool   `json:"authentic"`
	Consistent bool   `json:"consistent"`
	Return     bool   `json:"return"`
	Reason     string `json:"reason"`
	To         string `json:"to"`
	Note       string `json:"note"`
	Version    int    `json:"version"`
}

// RequestAction is an action read from a request, with the upload slot a
// supply holds until it is stored.
type RequestAction struct {
	ducha.DocRequestAction
	ID      int64
	Release func()
}

// ReadRequestAction reads an action on the path's request: the item is
// found through the caller's scope first, so that another unit's item
// answers 404 with the body unread. A supply is multipart (file, note,
// version); check and hand_over are JSON.
func (s *Server) ReadRequestAction(w http.ResponseWriter, r *http.Request, action string) (RequestAction, error) {
	req, err := s.FindRequest(r)
	if err != nil {
		return RequestAction{}, err
	}
	a := RequestAction{ID: req.ID}
	a.Action = action
	if action != ducha.RequestActSupply {
		var in requestActionBody
		if err := DecodeJSON(w, r, &in); err != nil {
			return a, err
		}
		if a.Version, err = Version(r, in.Version, false); err != nil {
			return a, err
		}
		a.Authentic, a.Consistent, a.Return, a.Reason, a.To, a.Note = in.Authentic, in.Consistent, in.Return, in.Reason, in.To, in.Note
		return a, nil
	}
	// The rules the store applies again, before the body is received.
	pre := *req
	if err := ducha.ApplyDocRequestAction(&pre, ducha.DocRequestAction{Action: action, Data: []byte{0}}, RequestUser(r), s.Now()); err != nil {
		return a, err
	}
	up, err := ReceiveUpload(w, r, maxUploadBody)
	if err != nil {
		return a, err
	}
	a.Note = r.FormValue("note")
	if v := strings.TrimSpace(r.FormValue("version")); v != "" {
		if a.Version, err = strconv.Atoi(v); err != nil {
			up.file.Close()
			return a, ducha.FieldError("version", "版本号应为整数")
		}
	}
	if a.Release, err = s.attachmentSlot(w, r); err != nil {
		up.file.Close()
		return a, err
	}
	if a.Data, err = up.bytes(); err != nil {
		a.Release()
		return a, err
	}
	a.FileName = up.name
	return a, nil
}

// RequestUser is the request's user.
func RequestUser(r *http.Request) *ducha.User { return ducha.UserFromContext(r.Context()) }
