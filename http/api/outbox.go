package api

import (
	"context"
	"net/http"
	"strings"

	"ducha"
	"ducha/http/web"
)

func (s *handler) handleInbox(w http.ResponseWriter, r *http.Request) error {
	if s.Inbox == nil {
		return web.ErrNoInbox
	}
	in, err := s.Inbox.Inbox(r.Context(), r.URL.Query().Get("count") == "1")
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, in)
	return nil
}

func (s *handler) handleChannelList(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	cs, err := s.Outbox.FindChannels(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(cs))
	return nil
}

// channelRequest is the body of POST /api/v1/channels and of a PATCH:
// units by id or name.
type channelRequest struct {
	Kind     ducha.ChannelKind `json:"kind"`
	Name     *string           `json:"name"`
	URL      *string           `json:"url"`
	Secret   *string           `json:"secret"`
	Keyword  *string           `json:"keyword"`
	To       *[]string         `json:"to"`
	Units    *[]ducha.UnitRef  `json:"units"`
	Events   *[]string         `json:"events"`
	Disabled *bool             `json:"disabled"`
	Version  int               `json:"version"`
}

// channelUpdate turns the request into a ChannelUpdate, resolving the units.
func (s *handler) channelUpdate(ctx context.Context, in channelRequest) (ducha.ChannelUpdate, error) {
	upd := ducha.ChannelUpdate{Name: in.Name, URL: in.URL, Secret: in.Secret, Keyword: in.Keyword, To: in.To,
		Events: in.Events, Disabled: in.Disabled, Version: in.Version}
	if in.Units != nil {
		ids := []int64{}
		for _, ref := range *in.Units {
			u, err := s.ResolveUnit(ctx, "units", string(ref))
			if err != nil {
				return upd, err
			}
			ids = append(ids, u.ID)
		}
		upd.Units = &ids
	}
	return upd, nil
}

func (s *handler) handleChannelCreate(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	var in channelRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	upd, err := s.channelUpdate(r.Context(), in)
	if err != nil {
		return err
	}
	c := &ducha.Channel{Kind: ducha.ChannelKind(strings.TrimSpace(string(in.Kind)))}
	upd.Apply(c)
	if err := s.Outbox.CreateChannel(r.Context(), c); err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusCreated, c.Version, c)
	return nil
}

func (s *handler) handleChannelPatch(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	id, err := web.PathID(r, "通知渠道")
	if err != nil {
		return err
	}
	var in channelRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Kind != "" {
		return ducha.FieldError("kind", "渠道类型不能修改：请删除后重新添加")
	}
	if in.Version, err = web.Version(r, in.Version, true); err != nil {
		return err
	}
	upd, err := s.channelUpdate(r.Context(), in)
	if err != nil {
		return err
	}
	c, err := s.Outbox.UpdateChannel(r.Context(), id, upd)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, c.Version, c)
	return nil
}

func (s *handler) handleChannelDelete(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	id, err := web.PathID(r, "通知渠道")
	if err != nil {
		return err
	}
	if err := s.Outbox.DeleteChannel(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *handler) handleChannelTest(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	id, err := web.PathID(r, "通知渠道")
	if err != nil {
		return err
	}
	d, err := s.Outbox.TestChannel(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusAccepted, d)
	return nil
}

func (s *handler) handleOutboxList(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	v := r.URL.Query()
	page, perPage, err := web.ReadPaging(v.Get("page"), v.Get("per_page"))
	if err != nil {
		return err
	}
	f := ducha.DeliveryFilter{Status: ducha.DeliveryStatus(strings.TrimSpace(v.Get("status"))), Offset: (page - 1) * perPage, Limit: perPage}
	items, total, err := s.Outbox.FindDeliveries(r.Context(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.Delivery]{Items: items, Total: total, Page: page, PerPage: perPage})
	return nil
}

func (s *handler) handleOutboxRetry(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	id, err := web.PathID(r, "投递")
	if err != nil {
		return err
	}
	d, err := s.Outbox.RetryDelivery(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}
