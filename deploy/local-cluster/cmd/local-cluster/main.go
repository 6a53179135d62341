// Command local-cluster runs etcd, kube-apiserver and kube-controller-manager on loopback for the tests, the load
// test and a person trying the operator, and stops all three when it is told to (SIGINT, SIGTERM) or when the
// process that started it goes away.
//
// It keeps everything under one directory: certificates and keys (pki/), etcd's data (etcd/), the logs (logs/), the
// ports it chose (ports.json) and, once the API server answers /readyz, admin.kubeconfig. A second start on the same
// directory reuses the certificates, the data and, when they are still free, the ports.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// The alpha features of this Kubernetes release that the operator can use; each one is switched on.
var featureGates = []string{"ShardedListAndWatch=true"}

// ServiceAccount tokens name this issuer whatever port the server listens on, so tokens stay valid across restarts.
const serviceAccountIssuer = "https://kubernetes.default.svc.cluster.local"

type ports struct {
	Etcd      int `json:"etcd"`
	EtcdPeer  int `json:"etcdPeer"`
	APIServer int `json:"apiServer"`
}

func main() {
	dir := flag.String("dir", "", "directory for certificates, etcd data, logs and admin.kubeconfig (required)")
	bin := flag.String("bin", "", "directory holding etcd, kube-apiserver and kube-controller-manager (required)")
	apiPort := flag.Int("apiserver-port", 0, "kube-apiserver's secure port on 127.0.0.1 (0: the last one, or a free one)")
	etcdPort := flag.Int("etcd-port", 0, "etcd's client port on 127.0.0.1 (0: the last one, or a free one)")
	timeout := flag.Duration("ready-timeout", 3*time.Minute, "how long each component may take to become ready")
	extraAPIServerFlags := flag.String("apiserver-flags", os.Getenv("LOCAL_CLUSTER_APISERVER_FLAGS"),
		"extra kube-apiserver flags, space separated (also LOCAL_CLUSTER_APISERVER_FLAGS)")
	flag.Parse()
	if *dir == "" || *bin == "" {
		fmt.Fprintln(os.Stderr, "usage: local-cluster -dir DIR -bin BINDIR [-apiserver-port N] [-etcd-port N]")
		os.Exit(2)
	}
	if err := run(*dir, *bin, *apiPort, *etcdPort, *timeout, strings.Fields(*extraAPIServerFlags)); err != nil {
		fmt.Fprintln(os.Stderr, "local-cluster:", err)
		os.Exit(1)
	}
}

func run(dir, bin string, apiPort, etcdPort int, timeout time.Duration, extraAPIServerFlags []string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for _, sub := range []string{"pki", "logs", "etcd"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return err
		}
	}
	kubeconfig := filepath.Join(dir, "admin.kubeconfig")
	// A kubeconfig left by a killed run would tell a waiting client the server is up.
	_ = os.Remove(kubeconfig)

	pki, err := loadOrCreatePKI(filepath.Join(dir, "pki"))
	if err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	chosen, err := choosePorts(filepath.Join(dir, "ports.json"), apiPort, etcdPort)
	if err != nil {
		return fmt.Errorf("ports: %w", err)
	}

	fmt.Printf("local-cluster: binaries in %s\n", bin)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go exitWithParent(ctx, cancel)

	sup := &supervisor{logDir: filepath.Join(dir, "logs"), died: make(chan string, 3)}
	defer sup.stopAll()

	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", chosen.Etcd)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", chosen.EtcdPeer)
	if err := sup.start(filepath.Join(bin, "etcd"),
		"--name=default",
		"--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL,
		"--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL,
		"--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=default="+peerURL,
		// Tests and load tests throw their data away; fsync would make every write wait for the disk.
		"--unsafe-no-fsync=true",
		"--quota-backend-bytes=8589934592",
		"--log-level=warn",
	); err != nil {
		return err
	}
	if err := waitFor(ctx, sup, timeout, "etcd", func() error { return etcdHealthy(etcdURL) }); err != nil {
		return err
	}
	fmt.Printf("local-cluster: etcd %s ready\n", etcdURL)

	apiURL := fmt.Sprintf("https://127.0.0.1:%d", chosen.APIServer)
	apiArgs := []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		// The endpoint reconciler refuses a loopback address; nothing here routes to the kubernetes Service anyway.
		"--endpoint-reconciler-type=none",
		fmt.Sprintf("--secure-port=%d", chosen.APIServer),
		"--tls-cert-file=" + pki.path("serving.crt"),
		"--tls-private-key-file=" + pki.path("serving.key"),
		"--client-ca-file=" + pki.path("ca.crt"),
		"--authorization-mode=RBAC",
		"--service-account-issuer=" + serviceAccountIssuer,
		"--service-account-key-file=" + pki.path("sa.pub"),
		"--service-account-signing-key-file=" + pki.path("sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24",
		"--allow-privileged=true",
		"--feature-gates=" + strings.Join(featureGates, ","),
		"--profiling=false",
		"--v=1",
	}
	if err := sup.start(filepath.Join(bin, "kube-apiserver"), append(apiArgs, extraAPIServerFlags...)...); err != nil {
		return err
	}
	admin, err := pki.adminClient()
	if err != nil {
		return err
	}
	if err := waitFor(ctx, sup, timeout, "kube-apiserver", func() error { return apiReady(admin, apiURL) }); err != nil {
		return err
	}
	fmt.Printf("local-cluster: kube-apiserver %s ready\n", apiURL)

	controllerKubeconfig := filepath.Join(dir, "controller-manager.kubeconfig")
	if err := writeKubeconfig(controllerKubeconfig, apiURL, pki); err != nil {
		return err
	}
	if err := sup.start(filepath.Join(bin, "kube-controller-manager"),
		"--kubeconfig="+controllerKubeconfig,
		"--leader-elect=false",
		// No workload controllers: nothing schedules or runs Pods here. The aggregation controller fills the
		// built-in admin/edit/view roles, which tenants' RoleBindings name.
		"--controllers=garbage-collector-controller,namespace-controller,serviceaccount-controller,"+
			"serviceaccount-token-controller,root-ca-certificate-publisher-controller,"+
			"clusterrole-aggregation-controller",
		"--service-account-private-key-file="+pki.path("sa.key"),
		"--root-ca-file="+pki.path("ca.crt"),
		"--use-service-account-credentials=false",
		"--bind-address=127.0.0.1",
		"--secure-port=0",
		"--feature-gates="+strings.Join(featureGates, ","),
		"--v=1",
	); err != nil {
		return err
	}
	if err := waitFor(ctx, sup, timeout, "kube-controller-manager", func() error {
		return defaultServiceAccountExists(admin, apiURL)
	}); err != nil {
		return err
	}
	fmt.Println("local-cluster: kube-controller-manager running (garbage collector, namespace, service account and " +
		"role aggregation controllers)")

	// Written last and atomically: its presence means the whole control plane is up.
	if err := writeKubeconfig(kubeconfig+".tmp", apiURL, pki); err != nil {
		return err
	}
	if err := os.Rename(kubeconfig+".tmp", kubeconfig); err != nil {
		return err
	}
	defer os.Remove(kubeconfig)
	fmt.Println("local-cluster: ready; stop with Ctrl-C or SIGTERM")
	fmt.Println(kubeconfig)

	select {
	case <-ctx.Done():
		if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
			fmt.Println("local-cluster: stopping:", cause)
		} else {
			fmt.Println("local-cluster: stopping")
		}
		return nil
	case name := <-sup.died:
		return fmt.Errorf("%s exited; its log: %s\n%s", name, sup.logPath(name), tail(sup.logPath(name), 30))
	}
}

// exitWithParent cancels ctx once the process that started this one is gone (a test JVM killed with SIGKILL cannot
// stop us itself), so no control plane outlives its user.
func exitWithParent(ctx context.Context, cancel context.CancelCauseFunc) {
	parent := os.Getppid()
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if os.Getppid() != parent {
				cancel(errors.New("the process that started local-cluster is gone"))
				return
			}
		}
	}
}

func waitFor(ctx context.Context, sup *supervisor, timeout time.Duration, name string, probe func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := probe()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s: %v; its log: %s\n%s", name, timeout, err, sup.logPath(name),
				tail(sup.logPath(name), 30))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("stopped while waiting for %s", name)
		case died := <-sup.died:
			return fmt.Errorf("%s exited while starting; its log: %s\n%s", died, sup.logPath(died),
				tail(sup.logPath(died), 30))
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func etcdHealthy(url string) error {
	client := http.Client{Timeout: 2 * time.Second}
	response, err := client.Get(url + "/health")
	if err != nil {
		return err
	}
	defer response.Body.Close()
	var health struct {
		Health string `json:"health"`
	}
	if err := json.NewDecoder(response.Body).Decode(&health); err != nil {
		return err
	}
	if health.Health != "true" {
		return fmt.Errorf("health is %q", health.Health)
	}
	return nil
}

func apiReady(client *http.Client, url string) error {
	response, err := client.Get(url + "/readyz")
	if err != nil {
		return err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("/readyz answered %s", response.Status)
	}
	return nil
}

// The service account controller creates "default" in every namespace; once it exists in kube-system the
// controller manager has synced its informers and is doing its work.
func defaultServiceAccountExists(client *http.Client, url string) error {
	response, err := client.Get(url + "/api/v1/namespaces/kube-system/serviceaccounts/default")
	if err != nil {
		return err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("kube-system/default service account: %s", response.Status)
	}
	return nil
}

func choosePorts(file string, apiPort, etcdPort int) (ports, error) {
	var last ports
	if data, err := os.ReadFile(file); err == nil {
		_ = json.Unmarshal(data, &last)
	}
	pick := func(given, previous int) (int, error) {
		if given != 0 {
			return given, nil
		}
		if previous != 0 && portFree(previous) {
			return previous, nil
		}
		return freePort()
	}
	var chosen ports
	var err error
	if chosen.Etcd, err = pick(etcdPort, last.Etcd); err != nil {
		return chosen, err
	}
	if chosen.EtcdPeer, err = pick(0, last.EtcdPeer); err != nil {
		return chosen, err
	}
	if chosen.APIServer, err = pick(apiPort, last.APIServer); err != nil {
		return chosen, err
	}
	data, _ := json.Marshal(chosen)
	return chosen, os.WriteFile(file, data, 0o600)
}

func portFree(port int) bool {
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return false
	}
	listener.Close()
	return true
}

func freePort() (int, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer listener.Close()
	return listener.Addr().(*net.TCPAddr).Port, nil
}

func writeKubeconfig(path, server string, pki *pki) error {
	ca, err := os.ReadFile(pki.path("ca.crt"))
	if err != nil {
		return err
	}
	cert, err := os.ReadFile(pki.path("admin.crt"))
	if err != nil {
		return err
	}
	key, err := os.ReadFile(pki.path("admin.key"))
	if err != nil {
		return err
	}
	enc := base64.StdEncoding.EncodeToString
	config := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: local-cluster
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: admin
  user:
    client-certificate-data: %s
    client-key-data: %s
contexts:
- name: local-cluster
  context:
    cluster: local-cluster
    user: admin
current-context: local-cluster
`, server, enc(ca), enc(cert), enc(key))
	return os.WriteFile(path, []byte(config), 0o600)
}

func (p *pki) adminClient() (*http.Client, error) {
	cert, err := tls.LoadX509KeyPair(p.path("admin.crt"), p.path("admin.key"))
	if err != nil {
		return nil, err
	}
	caPEM, err := os.ReadFile(p.path("ca.crt"))
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: roots},
	}}, nil
}

func tail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// supervisor starts the components with their output in a log file each and stops them in reverse order.
type supervisor struct {
	logDir  string
	running []*component
	died    chan string
}

type component struct {
	name    string
	cmd     *exec.Cmd
	done    chan struct{}
	stopped atomic.Bool
}

func (s *supervisor) logPath(name string) string {
	return filepath.Join(s.logDir, name+".log")
}

func (s *supervisor) start(binary string, args ...string) error {
	name := filepath.Base(binary)
	if _, err := os.Stat(binary); err != nil {
		return fmt.Errorf("%s: %w (build it with deploy/local-cluster/build.sh)", name, err)
	}
	log, err := os.OpenFile(s.logPath(name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "\n=== %s %s\n", time.Now().Format(time.RFC3339), strings.Join(append([]string{binary}, args...), " "))
	cmd := exec.Command(binary, args...)
	cmd.Stdout = log
	cmd.Stderr = log
	// The kernel kills the component if this process dies without stopping it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("start %s: %w", name, err)
	}
	c := &component{name: name, cmd: cmd, done: make(chan struct{})}
	s.running = append(s.running, c)
	go func() {
		_ = cmd.Wait()
		log.Close()
		close(c.done)
		if !c.stopped.Load() {
			s.died <- name
		}
	}()
	return nil
}

func (s *supervisor) stopAll() {
	for i := len(s.running) - 1; i >= 0; i-- {
		c := s.running[i]
		c.stopped.Store(true)
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	}
	s.running = nil
}
