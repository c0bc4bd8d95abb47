package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	stdmail "net/mail"
	"net/textproto"
	"strconv"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Email goes through github.com/wneessen/go-mail: UTF-8, quoted-printable,
// subject RFC 2047-encoded. Authentication is PLAIN, or LOGIN where the
// server offers only that, and only when SMTP.Username is set; go-mail sends
// either only over TLS or to localhost (127.0.0.1, ::1), so a password never
// crosses a network in clear and tests need no flag.
const defaultSMTPTimeout = 30 * time.Second

// TLS modes of SMTP.TLS.
const (
	TLSNone     = "none"
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
)

// smtpSettings checks the server settings and fills in their defaults.
func smtpSettings(c SMTP) (SMTP, error) {
	if c.Host == "" {
		return c, invalid("邮件服务器：未配置主机")
	}
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	switch c.TLS {
	case TLSImplicit:
		if c.Port == 0 {
			c.Port = 465
		}
	case TLSStartTLS:
		if c.Port == 0 {
			c.Port = 587
		}
	case TLSNone:
		if c.Port == 0 {
			c.Port = 25
		}
	default:
		return c, invalid("邮件服务器：加密方式必须是 none、starttls 或 tls")
	}
	if c.Port < 1 || c.Port > 65535 {
		return c, invalid("邮件服务器：端口必须在 1 到 65535 之间")
	}
	// The sender may carry a display name: "县督查督办系统 <ducha@example.gov.cn>".
	if _, err := stdmail.ParseAddress(c.From); err != nil {
		return c, invalid("邮件服务器：发件人「%s」不是有效的邮箱地址", c.From)
	}
	if c.Timeout <= 0 {
		c.Timeout = defaultSMTPTimeout
	}
	return c, nil
}

// emailBody is the plain-text body: the text, then the link.
func emailBody(m Message) string {
	if m.Link == "" {
		return m.Text
	}
	return m.Text + "\n\n查看详情：" + m.Link + "\n"
}

func (s *Sender) sendEmail(ctx context.Context, ch Channel, m Message) error {
	c, err := smtpSettings(s.SMTP)
	if err != nil {
		return err
	}
	where := "邮件（" + net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) + "）"

	msg := mail.NewMsg()
	if err := msg.From(c.From); err != nil {
		return invalid("邮件服务器：发件人「%s」不是有效的邮箱地址", c.From)
	}
	if err := msg.To(ch.To...); err != nil {
		return invalid("收件人：%v", err)
	}
	msg.Subject(m.Title)
	msg.SetMessageIDWithValue(m.Key + "@ducha")
	msg.SetDateWithValue(s.now())
	msg.SetGenHeader("X-Ducha-Delivery", m.Key)
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	msg.SetBodyString(mail.TypeTextPlain, emailBody(m))

	tlsConf := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12, RootCAs: c.RootCAs}
	// go-mail bounds each step by Timeout but watches ctx only while
	// dialling: closing the connection when ctx ends stops a stalled session.
	stop := func() bool { return false }
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		var conn net.Conn
		var err error
		d := &net.Dialer{}
		if c.TLS == TLSImplicit {
			conn, err = (&tls.Dialer{NetDialer: d, Config: tlsConf}).DialContext(dctx, network, addr)
		} else {
			conn, err = d.DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { conn.Close() })
		return conn, nil
	}
	defer func() { stop() }()

	policy := mail.TLSMandatory
	if c.TLS != TLSStartTLS {
		// "tls" is encrypted by the dialler; "none" stays in clear.
		policy = mail.NoTLS
	}
	opts := []mail.Option{
		mail.WithPort(c.Port),
		mail.WithTimeout(c.Timeout),
		mail.WithTLSPolicy(policy),
		mail.WithTLSConfig(tlsConf),
		mail.WithDialContextFunc(dial),
	}
	if c.Username != "" {
		opts = append(opts,
			mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlain, mail.SMTPAuthLogin),
			mail.WithUsername(c.Username),
			mail.WithPassword(c.Password))
	}
	client, err := mail.NewClient(c.Host, opts...)
	if err != nil {
		return invalid("邮件服务器：%v", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		// The server took the message; a failure of the QUIT after it must
		// not cause a second copy.
		return nil
	}
	if err == nil {
		return permanent(CodeInternal, "%s：邮件未被服务器接收", where)
	}
	return smtpError(ctx, where, err)
}

// smtpError classifies a failed SMTP session: a 4xx reply is temporary and a
// 5xx final, whichever step gave it; a dropped connection or a timeout is
// temporary; a refused certificate or a server that cannot do what the
// settings ask (STARTTLS, AUTH) is final.
func smtpError(ctx context.Context, where string, err error) *Error {
	var se *mail.SendError
	var te *textproto.Error
	var ne net.Error
	code := 0
	switch {
	case errors.As(err, &se) && se.ErrorCode() != 0:
		code = se.ErrorCode()
	case errors.As(err, &te):
		code = te.Code
	}
	switch {
	case code >= 400 && code < 500:
		return temporary("smtp_"+strconv.Itoa(code), "%s：服务器暂时拒绝（%d）：%v", where, code, err)
	case code >= 500 && code < 600:
		return permanent("smtp_"+strconv.Itoa(code), "%s：服务器拒绝（%d）：%v", where, code, err)
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return transportError(ctx, where, err)
	case certificateError(err):
		return permanent(CodeTLS, "%s：服务器证书未通过校验：%v", where, err)
	case errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || sessionDropped(se):
		return temporary(CodeNetwork, "%s：网络错误：%v", where, err)
	}
	return permanent(CodeInvalid, "%s：发送失败，请检查邮件服务器设置：%v", where, err)
}

// sessionDropped reports whether a send failed without a reply code in a step
// that only a lost connection fails that way.
func sessionDropped(se *mail.SendError) bool {
	if se == nil {
		return false
	}
	switch se.Reason {
	case mail.ErrConnCheck, mail.ErrSMTPMailFrom, mail.ErrSMTPRcptTo, mail.ErrSMTPData,
		mail.ErrWriteContent, mail.ErrSMTPDataClose, mail.ErrSMTPReset:
		return true
	}
	return false
}
