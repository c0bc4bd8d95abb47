package web

// adminMessagesZH are the Chinese messages of the administration pages
// (users, units, campaigns). Like the case messages, init merges them into
// the one catalogue.
var adminMessagesZH = map[string]string{
	"nav.admin": "系统管理",

	"admin.actions": "操作",
	"admin.edit":    "修改",
	"admin.save":    "保存",

	"admin.users.title":             "用户管理",
	"admin.users.q":                 "用户名或姓名",
	"admin.users.total":             "共%d个用户",
	"admin.users.limited":           "仅显示前%d个，请按单位或角色筛选",
	"admin.users.empty":             "没有符合条件的用户",
	"admin.users.add":               "添加用户",
	"admin.users.add_submit":        "添加",
	"admin.users.done.created":      "已添加用户 %s，本人首次登录时须修改密码",
	"admin.users.done.saved":        "已保存用户 %s 的修改",
	"admin.users.done.disabled":     "已停用用户 %s，其登录和API令牌已全部失效",
	"admin.users.done.enabled":      "已启用用户 %s",
	"admin.users.one_time.created":  "已添加用户 %s。",
	"admin.users.one_time.reset":    "已重置用户 %s 的密码，其原有登录已全部退出。",
	"admin.users.one_time.password": "一次性密码：",
	"admin.users.one_time.hint":     "此密码只显示这一次，请当面或电话告知本人；本人首次登录时必须修改。离开本页后无法再次查看，遗失时请重新重置。",

	"admin.user.username":       "用户名",
	"admin.user.display_name":   "姓名",
	"admin.user.role":           "角色",
	"admin.user.unit":           "所属单位",
	"admin.user.no_unit":        "不属于单位",
	"admin.user.unit_hint":      "单位联络员和单位主要负责人必须属于一个单位",
	"admin.user.state":          "状态",
	"admin.user.enabled":        "正常",
	"admin.user.disabled":       "已停用",
	"admin.user.must_change":    "待修改一次性密码",
	"admin.user.created_at":     "创建时间",
	"admin.user.enable":         "启用",
	"admin.user.disable":        "停用",
	"admin.user.reset_password": "重置密码",
	"admin.user.password":       "初始密码",
	"admin.user.password_hint":  "留空则自动生成一次性密码；无论哪种，本人首次登录时都必须修改",

	"admin.units.title":         "单位管理",
	"admin.units.total":         "共%d个单位",
	"admin.units.empty":         "还没有单位，请添加或导入单位文件",
	"admin.units.add":           "添加单位",
	"admin.units.add_submit":    "添加",
	"admin.units.done.created":  "已添加单位 %s",
	"admin.units.done.saved":    "已保存单位 %s 的修改",
	"admin.units.import":        "导入单位文件",
	"admin.units.file":          "单位文件",
	"admin.units.file_hint":     "csv 或 xlsx，列为 名称、类型、区划代码、主要负责人、联络员、电话（可加“成员单位”）；按名称新增或更新，全部成功或全部不导入",
	"admin.units.import_submit": "导入",
	"admin.units.imported":      "单位导入完成：新增%d个，更新%d个",

	"admin.unit.name":          "单位名称",
	"admin.unit.kind":          "类型",
	"admin.unit.division_code": "区划代码",
	"admin.unit.member":        "协调联络组成员单位",
	"admin.unit.head":          "主要负责人",
	"admin.unit.liaison":       "联络员",
	"admin.unit.phone":         "电话",

	"admin.campaigns.title":      "督察轮次",
	"admin.campaigns.hint":       "办理时限和节假日的修改只用于此后分派的交办件，已定的办理期限不变。新增督察轮次请用命令 ducha campaign add。",
	"admin.campaigns.empty":      "还没有督察轮次，请用命令 ducha campaign add 添加",
	"admin.campaigns.done.saved": "已保存督察轮次 %s 的修改",

	"admin.campaign.name":           "名称",
	"admin.campaign.team":           "督察组",
	"admin.campaign.period":         "进驻时间",
	"admin.campaign.start":          "进驻开始日期",
	"admin.campaign.end":            "进驻结束日期",
	"admin.campaign.case_days":      "办理时限（天）",
	"admin.campaign.days_n":         "%d天",
	"admin.campaign.working_days_n": "%d个工作日",
	"admin.campaign.working_days":   "办理时限按工作日计算（除周末和节假日）",
	"admin.campaign.phase":          "阶段",
	"admin.campaign.holidays":       "节假日",
	"admin.campaign.workdays":       "调休上班日",
	"admin.campaign.dates_hint":     "日期写作2027年1月1日（也可写2027-01-01），用顿号或逗号分隔",
}

func init() {
	mergeMessages(messagesZH, adminMessagesZH)
	mergeMessages(messagesEN, adminMessagesEN)
}
