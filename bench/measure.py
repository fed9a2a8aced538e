# Run a command once; print its wall seconds, peak resident memory (KiB),
# exit status and CPU seconds (user + system, of it and every process it
# ran) as "SECONDS KIB STATUS CPU". Its output goes to /dev/null.
import resource, subprocess, sys, time
start = time.monotonic()
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {usage.ru_maxrss} {status} {usage.ru_utime + usage.ru_stime:.3f}")
