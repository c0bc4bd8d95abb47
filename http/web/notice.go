package web

import (
	"ducha"
)

// The supervision notices (督办单): the list, one notice, issuing one by
// hand, and the unit's and the coordinator's actions on it. The store
// scopes every read to the caller's unit; another unit's notice answers
// 404 exactly like a missing one.

// ErrNoNotices answers the notice routes of a server built without them.
var ErrNoNotices = ducha.Errorf(ducha.ENOTFOUND, "本服务未启用督办")
