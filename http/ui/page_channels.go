package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// The notification administration pages (通知渠道, 投递记录): the channels
// with the forms that add, change, delete and test them, and the outbox's
// deliveries with a retry for the failed ones. Both are the
// administrator's (routes.go); the store checks PermManage again.
//
// A channel's secret is written, never shown, and its address is shown
// without its query string (where WeCom and DingTalk put their tokens) or
// any path segment that looks like a token (where Feishu puts its own).

// adminChannelsPage lists the channels and offers the add form.
type adminChannelsPage struct {
	page
	Channels []*ducha.Channel
	Kinds    []ducha.ChannelKind
	Events   []string
	Units    []*ducha.Unit
	// In is the add form as typed (never its address or secret); Errors
	// its messages. Edit is a refused change of one channel.
	In     channelInput
	Errors map[string]string
	Edit   *channelEdit
	Error  string
	// Done says what the last post did (after its redirect).
	Done     adminDone
	DoneItem *ducha.Channel
}

// channelInput is a channel form as typed, less its address and secret.
type channelInput struct {
	Kind, Name, Keyword, To string
	Units, Events           []string
	Disabled                bool
}

// channelEdit is a refused change of channel ID: the input and messages.
type channelEdit struct {
	ID     int64
	In     channelInput
	Errors map[string]string
}

// HasUnit reports whether the form selects unit u.
func (in channelInput) HasUnit(u *ducha.Unit) bool {
	return slices.Contains(in.Units, strconv.FormatInt(u.ID, 10))
}

// HasEvent reports whether the form ticks event e.
func (in channelInput) HasEvent(e string) bool { return slices.Contains(in.Events, e) }

// channelInputOf is the form of a stored channel.
func channelInputOf(c *ducha.Channel) channelInput {
	in := channelInput{Kind: string(c.Kind), Name: c.Name, Keyword: c.Keyword, To: strings.Join(c.To, "\n"),
		Events: slices.Clone(c.Events), Disabled: c.Disabled}
	for _, id := range c.Units {
		in.Units = append(in.Units, strconv.FormatInt(id, 10))
	}
	return in
}

// Err is the message for one field of the add form.
func (p *adminChannelsPage) Err(field string) string { return p.Errors[field] }

// FormOf is the edit form of channel c: as typed after a refused post,
// else as stored.
func (p *adminChannelsPage) FormOf(c *ducha.Channel) channelInput {
	if p.Edit != nil && p.Edit.ID == c.ID {
		return p.Edit.In
	}
	return channelInputOf(c)
}

// EditOpen reports whether channel c's edit form is shown unfolded.
func (p *adminChannelsPage) EditOpen(c *ducha.Channel) bool {
	return p.Edit != nil && p.Edit.ID == c.ID
}

// EditErr is the message for one field of channel c's edit form.
func (p *adminChannelsPage) EditErr(c *ducha.Channel, field string) string {
	if p.Edit == nil || p.Edit.ID != c.ID {
		return ""
	}
	return p.Edit.Errors[field]
}

// KindSelected reports whether the add form names kind k.
func (p *adminChannelsPage) KindSelected(k ducha.ChannelKind) bool { return p.In.Kind == string(k) }

// UnitNames names the units a channel carries, "" for all of them.
func (p *adminChannelsPage) UnitNames(c *ducha.Channel) string {
	var names []string
	for _, id := range c.Units {
		name := strconv.FormatInt(id, 10)
		for _, u := range p.Units {
			if u.ID == id {
				name = u.Name
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, "、")
}

// EventNames names the events a channel carries, "" for all of them.
func (p *adminChannelsPage) EventNames(c *ducha.Channel) string {
	var names []string
	for _, e := range p.Events { // in the forms' order, not the stored one
		if slices.Contains(c.Events, e) {
			names = append(names, p.OutboxEventLabel(e))
		}
	}
	return strings.Join(names, "、")
}

// DoneText is the message of the last post, or "".
func (p *adminChannelsPage) DoneText() string {
	if p.DoneItem == nil {
		return ""
	}
	return p.T("admin.channels.done."+p.Done.Kind, p.DoneItem.Name)
}

// ChannelKindLabel names a channel kind.
func (p *page) ChannelKindLabel(k ducha.ChannelKind) string {
	return p.labelOr("channel.kind."+string(k), k.Label())
}

// OutboxEventLabel names what an outbox message is about.
func (p *page) OutboxEventLabel(e string) string {
	return p.labelOr("outbox.event."+e, ducha.OutboxEventLabel(e))
}

// MaskURL shows a channel's address as scheme://host/path: never its
// query, its fragment or credentials, and a path segment long enough to
// be a token (a Feishu hook's) becomes ****.
func (p *page) MaskURL(raw string) string { return ducha.MaskURL(raw) }

func (s *handler) adminChannelsPage(w http.ResponseWriter, r *http.Request) (*adminChannelsPage, error) {
	if s.Outbox == nil {
		return nil, web.ErrNoOutbox
	}
	ctx := r.Context()
	cs, err := s.Outbox.FindChannels(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.Units.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	return &adminChannelsPage{page: s.newPage(w, r, "admin.channels.title"), Channels: cs, Kinds: ducha.ChannelKinds,
		Events: ducha.OutboxEvents, Units: units, In: channelInput{Kind: string(ducha.ChannelWeCom)}}, nil
}

func (s *handler) handleAdminChannelsPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.adminChannelsPage(w, r)
	if err != nil {
		return err
	}
	if p.Done = readAdminDone(r, "created", "saved", "tested"); p.Done.ID != 0 {
		for _, c := range p.Channels {
			if c.ID == p.Done.ID {
				p.DoneItem = c
			}
		}
	}
	return s.render(w, http.StatusOK, "admin_channels", p)
}

// readChannelForm reads a channel form: the input to show again, and the
// unit ids, which must be numbers.
func readChannelForm(r *http.Request) (channelInput, []int64, error) {
	in := channelInput{Kind: web.FormValue(r, "kind"), Name: web.FormValue(r, "name"), Keyword: web.FormValue(r, "keyword"),
		To: strings.Join(web.FormList(r, "to"), "\n"), Events: web.FormList(r, "events"), Disabled: formBool(r, "disabled")}
	units := []int64{}
	for _, v := range web.FormList(r, "units") {
		in.Units = append(in.Units, v)
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return in, nil, ducha.FieldError("units", "单位“%s”无效", v)
		}
		units = append(units, id)
	}
	if in.Events == nil {
		in.Events = []string{}
	}
	return in, units, nil
}

// toList splits the typed addresses, one a line.
func toList(in channelInput) []string {
	if in.To == "" {
		return []string{}
	}
	return strings.Split(in.To, "\n")
}

// handleAdminChannelCreate adds a channel.
func (s *handler) handleAdminChannelCreate(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, units, err := readChannelForm(r)
	c := &ducha.Channel{Kind: ducha.ChannelKind(in.Kind), Name: in.Name, URL: web.FormValue(r, "url"),
		Secret: r.PostForm.Get("secret"), Keyword: in.Keyword, To: toList(in), Units: units, Events: in.Events,
		Disabled: in.Disabled}
	if err == nil {
		err = s.Outbox.CreateChannel(r.Context(), c)
	}
	if formError(err) {
		p, perr := s.adminChannelsPage(w, r)
		if perr != nil {
			return perr
		}
		p.In = in
		p.Error, p.Errors = web.FieldErrors(err)
		return s.render(w, web.ErrorStatus(ducha.ErrorCode(err)), "admin_channels", p)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/channels", c.ID, "created")
	return nil
}

// handleAdminChannelUpdate changes a channel at its version. An empty
// address or secret keeps the stored one, which the form never shows.
func (s *handler) handleAdminChannelUpdate(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	id, err := web.PathID(r, "通知渠道")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in, units, err := readChannelForm(r)
	upd := ducha.ChannelUpdate{Name: &in.Name, Keyword: &in.Keyword, Units: &units, Events: &in.Events, Disabled: &in.Disabled}
	to := toList(in)
	upd.To = &to
	if u := web.FormValue(r, "url"); u != "" {
		upd.URL = &u
	}
	if secret := r.PostForm.Get("secret"); secret != "" {
		upd.Secret = &secret
	} else if formBool(r, "clear_secret") {
		upd.Secret = new("")
	}
	if err == nil {
		upd.Version, err = formVersion(r)
	}
	if err == nil {
		_, err = s.Outbox.UpdateChannel(r.Context(), id, upd)
	}
	if formError(err) {
		p, perr := s.adminChannelsPage(w, r)
		if perr != nil {
			return perr
		}
		p.Edit = &channelEdit{ID: id, In: in}
		var msg string
		msg, p.Edit.Errors = web.FieldErrors(err)
		p.Error = msg
		for _, c := range p.Channels {
			if c.ID == id {
				p.Error = c.Name + "：" + msg
			}
		}
		return s.render(w, web.ErrorStatus(ducha.ErrorCode(err)), "admin_channels", p)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/channels", id, "saved")
	return nil
}

// handleAdminChannelDelete removes a channel; its deliveries stay on
// record. The message travels in the flash, the channel being gone.
func (s *handler) handleAdminChannelDelete(w http.ResponseWriter, r *http.Request) error {
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
	s.setFlash(w, r, flashDone, "channel_delete")
	http.Redirect(w, r, "/admin/channels", http.StatusSeeOther)
	return nil
}

// handleAdminChannelTest queues a test message to one channel.
func (s *handler) handleAdminChannelTest(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	id, err := web.PathID(r, "通知渠道")
	if err != nil {
		return err
	}
	if _, err := s.Outbox.TestChannel(r.Context(), id); err != nil {
		return err
	}
	redirectDone(w, r, "/admin/channels", id, "tested")
	return nil
}

// adminOutboxPage lists the deliveries, newest first, with a status
// filter and a retry for each failed one.
type adminOutboxPage struct {
	page
	Status   string
	Statuses []ducha.DeliveryStatus
	Items    []*ducha.Delivery
	Total    int
	PageNo   int
	Pages    int
	PrevURL  string
	NextURL  string
	Error    string
	Done     adminDone
	DoneItem *ducha.Delivery
}

// DeliveryStatusLabel names a delivery status.
func (p *page) DeliveryStatusLabel(st ducha.DeliveryStatus) string {
	return p.T("outbox.status." + string(st))
}

// DoneText is the message of the last post, or "".
func (p *adminOutboxPage) DoneText() string {
	if p.DoneItem == nil {
		return ""
	}
	return p.T("admin.outbox.done."+p.Done.Kind, p.DoneItem.ID, p.DoneItem.Channel)
}

// outboxPageSize is how many deliveries a page of the outbox shows.
const outboxPageSize = 50

func (s *handler) adminOutboxPage(w http.ResponseWriter, r *http.Request) (*adminOutboxPage, int, error) {
	if s.Outbox == nil {
		return nil, 0, web.ErrNoOutbox
	}
	v := r.URL.Query()
	p := &adminOutboxPage{page: s.newPage(w, r, "admin.outbox.title"), Status: strings.TrimSpace(v.Get("status")),
		Statuses: []ducha.DeliveryStatus{ducha.DeliveryPending, ducha.DeliverySent, ducha.DeliveryFailed}}
	pageNo, _, err := web.ReadPaging(strings.TrimSpace(v.Get("page")), "")
	if err == nil {
		f := ducha.DeliveryFilter{Status: ducha.DeliveryStatus(p.Status), Offset: (pageNo - 1) * outboxPageSize, Limit: outboxPageSize}
		p.Items, p.Total, err = s.Outbox.FindDeliveries(r.Context(), f)
	}
	if ducha.ErrorCode(err) == ducha.EINVALID {
		p.Error = ducha.ErrorMessage(err)
		return p, http.StatusBadRequest, nil
	} else if err != nil {
		return nil, 0, err
	}
	p.PageNo, p.Pages = pageNo, max(1, (p.Total+outboxPageSize-1)/outboxPageSize)
	if pageNo > 1 {
		p.PrevURL = outboxPageURL(v, pageNo-1)
	}
	if pageNo < p.Pages {
		p.NextURL = outboxPageURL(v, pageNo+1)
	}
	return p, http.StatusOK, nil
}

// outboxPageURL is the outbox with the same filter on page n.
func outboxPageURL(q url.Values, n int) string {
	q = nonEmpty(q)
	q.Set("page", strconv.Itoa(n))
	return "/admin/outbox?" + q.Encode()
}

func (s *handler) handleAdminOutboxPage(w http.ResponseWriter, r *http.Request) error {
	p, status, err := s.adminOutboxPage(w, r)
	if err != nil {
		return err
	}
	if p.Done = readAdminDone(r, "retried"); p.Done.ID != 0 {
		for _, d := range p.Items {
			if d.ID == p.Done.ID {
				p.DoneItem = d
			}
		}
	}
	return s.render(w, status, "admin_outbox", p)
}

// handleAdminOutboxRetry sends a failed delivery again.
func (s *handler) handleAdminOutboxRetry(w http.ResponseWriter, r *http.Request) error {
	if s.Outbox == nil {
		return web.ErrNoOutbox
	}
	id, err := web.PathID(r, "投递")
	if err != nil {
		return err
	}
	_, err = s.Outbox.RetryDelivery(r.Context(), id)
	if formError(err) {
		p, _, perr := s.adminOutboxPage(w, r)
		if perr != nil {
			return perr
		}
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, web.ErrorStatus(ducha.ErrorCode(err)), "admin_outbox", p)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/outbox", id, "retried")
	return nil
}
