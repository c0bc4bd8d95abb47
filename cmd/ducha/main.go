// Command ducha is the county's environmental-inspection system: one binary
// with the web server, the JSON API and the command line of SPEC section 6.
//
//	ducha serve [--addr :8080]
//	ducha import ledger FILE
//	ducha audit verify
//	…
//
// Every command takes --db (a SQLite file, default ./ducha.db, or a
// postgres:// URL; env DUCHA_DB). Exit status: 0 success, 1 usage or input
// error (message on stderr naming the row or field), 2 internal error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"ducha"
	"ducha/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Env is what a command reads and writes besides its flags.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// command is one CLI command: it parses its own flags.
type command struct {
	name  string // "import ledger"
	usage string
	run   func(ctx context.Context, env Env, args []string) error
}

var commands = []command{
	{"serve", "serve [--addr :8080] [--base-url URL] [--send-every 10s] [--smtp-host H --smtp-from A …] [--trusted-proxy 地址或网段,…] [--access-log=false] [--max-file-mb 64] [--max-unzipped-mb 256] [--max-rows 200000] [--max-cell-chars 32767]  迁移数据库并启动网页和API服务", runServe},
	{"migrate", "migrate  把数据库结构升级到最新", runMigrate},
	{"unit import", "unit import FILE [--max-file-mb 64 …]  从csv/xlsx导入单位（名称, 类型, 区划代码, 主要负责人, 联络员, 电话）", runUnitImport},
	{"unit list", "unit list [--format text|json]  列出单位（csv，与 unit import 读取的列相同，可再导入）", runUnitList},
	{"user add", "user add --username U --role R [--unit NAME] [--name N] --password-stdin  添加用户（本人首次登录时须修改密码）", runUserAdd},
	{"user list", "user list [--unit NAME] [--role R] [--format text|json]  列出用户", runUserList},
	{"user set", "user set --username U [--role R] [--unit NAME] [--display-name N] [--disable|--enable] [--password-stdin]  修改用户；停用即结束其登录并撤销令牌；在此设置的密码本人下次登录时须修改", runUserSet},
	{"token create", "token create --username U [--name N] [--expires 90d|2027-01-01]  生成API令牌（只显示这一次）", runTokenCreate},
	{"token list", "token list [--username U]  列出API令牌（不含密钥）", runTokenList},
	{"token revoke", "token revoke ID  撤销一个API令牌", runTokenRevoke},
	{"campaign add", "campaign add --name N [--team T] [--start D] [--end D] [--case-days 10]  添加督察轮次", runCampaignAdd},
	{"import ledger", "import ledger FILE [--max-file-mb 64 …]  导入问题台账（全部成功或全部不导入）", runImportLedger},
	{"export ledger", "export ledger --out FILE.xlsx  导出问题台账", runExportLedger},
	{"import cases", "import cases FILE [--batch N] [--date D] [--max-file-mb 64 …]  导入一批交办件（全部成功或全部不导入；按受理编号去重）", runImportCases},
	{"import duties", "import duties FILE [--max-file-mb 64 …]  导入责任清单（序号, 责任单位, 职责事项, 依据；全部成功或全部不导入；同一文件再导入不变）", runImportDuties},
	{"export disclosure", "export disclosure --batch N --out FILE.xlsx  导出一批的公开情况一览表", runExportDisclosure},
	{"export archive", "export archive (--problem ID|编号 | --case ID|受理编号) --out FILE.zip  导出一个问题或交办件的一案一档（全部字段、办理记录和附件）", runExportArchive},
	{"report daily", "report daily [--date D]  日报（文字或 --format json）", runReportDaily},
	{"supervise", "supervise [--date D] [--format text|json]  按D日日终执行一次督办规则（默认今天），列出下发的督办单；同一天再执行不会重复下发", runSupervise},
	{"audit verify", "audit verify  校验全部事件的哈希链", runAuditVerify},
	{"backup", "backup --out FILE  在服务运行时做一致性备份", runBackup},
	{"restore", "restore FILE  把备份恢复到空库", runRestore},
	{"import document", "import document FILE [--kind K] [--title T] [--date D]  导入文件（txt、html、docx）：正文转为简体、去掉拼音注音，原件原样保存", runImportDocument},
	{"demo", "demo [--problems 1000] [--cases 0] [--days 20] [--seed 1]  生成演示数据（第二轮督察，标明“演示数据”；事件按发生的日期记录）", runDemo},
}

// Run runs one command line and returns the exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	cmd, rest := findCommand(args)
	if cmd == nil {
		usage(stderr)
		if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			return 0
		}
		return 1
	}
	err := cmd.run(ctx, env, rest)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "用法: ducha %s\n", cmd.usage)
		return 1
	}
	fmt.Fprintln(stderr, "错误:", ducha.ErrorMessage(err))
	if ducha.Fault(err) {
		fmt.Fprintln(stderr, "详情:", err)
		return 2
	}
	return 1
}

var errUsage = errors.New("usage")

func findCommand(args []string) (*command, []string) {
	for i := range commands {
		words := strings.Fields(commands[i].name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == commands[i].name {
			return &commands[i], args[len(words):]
		}
	}
	return nil, nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "ducha — 中央生态环境保护督察整改管理系统")
	fmt.Fprintln(w, "\n命令:")
	lines := make([]string, len(commands))
	for i, c := range commands {
		lines[i] = "  ducha " + c.usage
	}
	sort.Strings(lines)
	fmt.Fprintln(w, strings.Join(lines, "\n"))
	fmt.Fprintln(w, "\n每个命令都接受 --db（SQLite文件路径，默认 ./ducha.db，或 postgres:// 地址；环境变量 DUCHA_DB）。")
}

// flags is a command's flag set with the flags every command takes.
type flags struct {
	*flag.FlagSet
	db     *string
	format *string
}

func newFlags(name string, env Env) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	def := os.Getenv("DUCHA_DB")
	if def == "" {
		def = "./ducha.db"
	}
	return &flags{
		FlagSet: fs,
		db:      fs.String("db", def, "SQLite文件路径或 postgres:// 地址"),
		format:  fs.String("format", "text", "输出格式 text|json"),
	}
}

// parse parses args, allowing flags after positional arguments too.
func (f *flags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = f.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if *f.format != "text" && *f.format != "json" {
		return nil, ducha.FieldError("format", "--format 只能是 text 或 json")
	}
	return pos, nil
}

func (f *flags) open(ctx context.Context) (*store.DB, error) {
	return f.openWith(ctx, store.Options{})
}

// openWith opens the store with options (a clock of the command's own).
func (f *flags) openWith(ctx context.Context, opts store.Options) (*store.DB, error) {
	db, err := store.Open(ctx, *f.db, opts)
	if err != nil {
		return nil, fmt.Errorf("打开数据库 %s: %w", *f.db, err)
	}
	return db, nil
}

// system is the context CLI commands act in: the operator of the machine.
func system(ctx context.Context) context.Context {
	return ducha.NewContextWithUser(ctx, ducha.SystemUser)
}

// writeFile writes path through write, atomically: into a temporary file
// beside it, synced, then renamed, so a failed export leaves no half file.
func writeFile(path string, write func(w io.Writer) error) error {
	tmp := path + ".tmp"
	file, err := os.Create(tmp)
	if err != nil {
		return ducha.Errorf(ducha.EINVALID, "无法写入文件：%v", err)
	}
	defer os.Remove(tmp)
	if err := write(file); err != nil {
		file.Close()
		return err
	}
	if err := file.Sync(); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// openFile opens an input file named on the command line.
func openFile(path string) (*os.File, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, ducha.Errorf(ducha.EINVALID, "无法打开文件：%v", err)
	}
	return file, nil
}
