// pulumi-language-nodejs: a small Node.js language host for the Pulumi engine, built by scripts/pulumi-cli.sh
// against the same pkg/sdk modules as the CLI.
//
// Why our own: upstream's host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which has no tags and which the Go module
// proxy reachable here refuses, so it cannot be required. All the real work is done by the Node.js side of the
// SDK (@pulumi/pulumi/cmd/run, cmd/run-plugin, cmd/run-policy-pack in the program's node_modules); this host
// only starts those with the arguments and environment they expect, like upstream's does. What it leaves out:
// dependency installation beyond `npm install`, code generation (`pulumi convert`, `pulumi package`), debugging,
// and the Bun runtime.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The Node.js side exits with this code after it has already reported a user-actionable error itself, in
// which case the engine must not print another generic one (sdk/nodejs/cmd/run/index.ts).
const exitedAfterLoggingError = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	// The engine passes the address of its own gRPC server as the last argument; older engines put flags
	// (-root, -tracing, ...) before it, which this host does not need.
	if len(os.Args) < 2 {
		cmdutil.Exit(errors.New("usage: pulumi-language-nodejs [flags] <engine-address>"))
	}
	h := &host{engineAddress: os.Args[len(os.Args)-1]}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(err)
	}
	// The engine reads the port from our first line of stdout.
	fmt.Println(handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(err)
	}
}

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// options reads the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml that matter to the Node.js side.
type options struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseOptions(info *pulumirpc.ProgramInfo) options {
	opts := options{typescript: true} // upstream's default: ts-node is registered unless told otherwise
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		opts.nodeargs = strings.Fields(v)
	}
	return opts
}

// programDir is where the program's node_modules (and so its copy of @pulumi/pulumi) are resolved from.
func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	return pwd
}

// resolveSDK finds the entry point of the program's own @pulumi/pulumi, so the version the program depends on
// runs it (NODE_PATH is honoured too, as node's own resolution does).
func resolveSDK(dir, module string) (string, error) {
	cmd := exec.Command("node", "-e", fmt.Sprintf("process.stdout.write(require.resolve(%q))", module))
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find %s from %s; it looks like the Pulumi SDK has not been "+
			"installed: have you run `npm install`? (%w)", module, dir, err)
	}
	return string(out), nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	opts := parseOptions(req.GetInfo())
	runPath, err := resolveSDK(programDir(req.GetInfo(), req.GetPwd()), "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := append(append([]string{}, opts.nodeargs...), runPath)
	flag := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k+"="+v)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engineAddress)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("stack", req.GetStack())
	flag("pwd", req.GetPwd())
	flag("root-directory", req.GetInfo().GetRootDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		flag("parallel", fmt.Sprint(req.GetParallel()))
	}
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "." // cmd/run then takes package.json's "main"/"exports"
	}
	args = append(append(args, entry), req.GetArgs()...)

	// Config travels in the environment so that every copy of @pulumi/pulumi loaded by the program sees it.
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(append([]string{}, req.GetConfigSecretKeys()...))
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	// The engine relays our stdout/stderr, so the program's console output reaches the user unchanged.
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == exitedAfterLoggingError {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d",
				exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin runs a Node.js plugin; the engine uses it for policy packs (kind "analyzer", `--policy-pack`) and
// for providers/components written in Node.js (PulumiPlugin.yaml). With this host present the engine does
// not look for the old `pulumi-analyzer-policy` launcher at all.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	opts := parseOptions(req.GetInfo())
	dir := programDir(req.GetInfo(), req.GetPwd())
	module, args := "@pulumi/pulumi/cmd/run-plugin", []string{dir}
	if req.GetKind() == "analyzer" {
		// cmd/run-policy-pack expects `<engine-address> <program>`; the engine passes its address as Args[0].
		module, args = "@pulumi/pulumi/cmd/run-policy-pack", nil
		if len(req.GetArgs()) > 0 {
			args = append(args, req.GetArgs()[0])
		}
		args = append(args, dir)
	} else {
		args = append(args, req.GetArgs()...)
	}
	runPath, err := resolveSDK(dir, module)
	if err != nil {
		return err
	}
	nodeArgs := append(append(append([]string{}, opts.nodeargs...), runPath), args...)
	cmd := exec.CommandContext(server.Context(), "node", nodeArgs...)
	// Run from the plugin's own directory, not the engine's: @pulumi/policy reads the pack's version from
	// ./package.json, and the legacy launcher path in the engine chdirs there for the same reason.
	cmd.Dir = dir
	cmd.Env = req.GetEnv()
	if opts.typescript {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	// The engine reads the plugin's port from the first line of this stdout, as from any plugin.
	var mu sync.Mutex
	cmd.Stdout = streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	cmd.Stderr = streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return err
		}
		code = int32(exit.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// streamWriter forwards a child's output over a server stream; exec copies stdout and stderr from two
// goroutines and a gRPC stream must not be sent on concurrently, hence the shared lock.
type streamWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.send(append([]byte{}, p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// GetRequiredPackages reports the resource plugins the program's Node.js packages declare (package.json
// "pulumi": {"resource": true, ...}, e.g. @pulumi/aws), so the engine can check for them before running.
func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for dir := programDir(req.GetInfo(), ""); dir != ""; dir = parent(dir) {
		nm := filepath.Join(dir, "node_modules")
		if _, err := os.Stat(nm); err != nil {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(nm, "*", "package.json"))
		scoped, _ := filepath.Glob(filepath.Join(nm, "@*", "*", "package.json"))
		for _, f := range append(files, scoped...) {
			if dep := pluginOf(f); dep != nil {
				resp.Packages = append(resp.Packages, dep)
			}
		}
		break // like node, the nearest node_modules wins
	}
	return resp, nil
}

func parent(dir string) string {
	if p := filepath.Dir(dir); p != dir {
		return p
	}
	return ""
}

func pluginOf(packageJSON string) *pulumirpc.PackageDependency {
	data, err := os.ReadFile(packageJSON)
	if err != nil {
		return nil
	}
	var pkg struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Pulumi  struct {
			Resource bool   `json:"resource"`
			Name     string `json:"name"`
			Version  string `json:"version"`
			Server   string `json:"server"`
		} `json:"pulumi"`
	}
	if json.Unmarshal(data, &pkg) != nil || !pkg.Pulumi.Resource {
		return nil
	}
	name, ver := pkg.Pulumi.Name, pkg.Pulumi.Version
	if name == "" {
		name = strings.TrimPrefix(pkg.Name, "@pulumi/")
	}
	if ver == "" {
		ver = pkg.Version
	}
	return &pulumirpc.PackageDependency{
		Kind: "resource", Name: name, Version: "v" + strings.TrimPrefix(ver, "v"), Server: pkg.Pulumi.Server,
	}
}

// InstallDependencies backs `pulumi install` and `pulumi new`: plain `npm install`, output streamed back.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	cmd := exec.CommandContext(server.Context(), "npm", "install")
	cmd.Dir = req.GetDirectory()
	if d := req.GetInfo().GetProgramDirectory(); d != "" {
		cmd.Dir = d
	}
	var mu sync.Mutex
	cmd.Stdout = streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	cmd.Stderr = streamWriter{&mu, func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	return cmd.Run()
}

func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	exe, _ := exec.LookPath("node")
	out, _ := exec.Command("node", "--version").Output()
	return &pulumirpc.AboutResponse{Executable: exe, Version: strings.TrimSpace(string(out))}, nil
}

func (h *host) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
