/*
 * The per-process metrics files and their sum.
 *
 * Layout of a file: a header, then NSLOTS slots.  Slots 0..HASHED-1 are
 * an open-addressing table (linear probing, never deleted from) keyed
 * by (method, route, status, code); the last slot takes whatever finds
 * the table three-quarters full, so a flood of distinct keys costs a
 * bounded probe and shows as route "(overflow)".  A slot's key is
 * written before its used flag is released, and never changes after,
 * so a reader that acquires used = 1 reads a whole key.  Counters are
 * 64-bit atomics written by the owner alone with relaxed load + store
 * (no locked instruction) and read by scrapers with relaxed loads.
 *
 * Ownership is an open-file-description lock (F_OFD_SETLK) held for the
 * process's life: the kernel drops it when the process dies however it
 * dies, and a scraper can test it (F_OFD_GETLK) without taking it, so a
 * scrape never makes a starting process pass a free file by.  Files are
 * never shrunk while valid, so a scraper's mapping cannot fault; a file
 * found invalid (another layout version, a crash during creation) is
 * unlinked by its new owner, who then makes it again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "request.h"

#define MAGIC		"csmetric"
#define LAYOUT_VERSION	2
#define NSLOTS		512
#define HASHED		(NSLOTS - 1)		/* the last is the overflow */
#define FILL_MAX	(HASHED * 3 / 4)
#define METHOD_MAX	8
#define ROUTE_MAX	96
#define CODE_MAX	64
#define EXE_MAX		32
#define MAX_FILES	4096			/* per executable */
#define UNMATCHED	"(unmatched)"
#define OVERFLOW	"(overflow)"

_Static_assert(ATOMIC_INT_LOCK_FREE == 2 && ATOMIC_LONG_LOCK_FREE == 2 &&
    ATOMIC_LLONG_LOCK_FREE == 2, "metrics need lock-free atomics in "
    "shared memory");

const double metrics_bucket_bounds[METRICS_NBOUNDS] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};

struct key {
	int32_t		 status;
	char		 method[METHOD_MAX];
	char		 route[ROUTE_MAX];
	char		 code[CODE_MAX];
};

struct slot {
	_Atomic uint32_t used;		/* 1 once key is complete */
	struct key	 key;
	_Atomic uint64_t sum_us;
	_Atomic uint64_t buckets[METRICS_NBUCKETS];
};

struct header {
	char		 magic[8];
	uint32_t	 version, nslots, slot_size, nbuckets;
	char		 executable[EXE_MAX];
	_Atomic uint32_t ready;		/* 1 once the header is complete */
	uint32_t	 nused;		/* hashed slots in use (owner's) */
};

struct layout {
	struct header	 h;
	struct slot	 slots[NSLOTS];
};

/* This process's file. */
static struct {
	enum { CLOSED, OPEN, OFF } state;
	struct layout	*map;
	int		 fd;
} self = { CLOSED, NULL, -1 };

/* <data_directory>/run/metrics, created (mode 0700) when create. */
static bool
metrics_dir(char *buf, size_t len, bool create)
{
	const char	*data = config_get("data_directory");

	if ((size_t)snprintf(buf, len, "%s/run", data) >= len)
		return false;
	if (create && mkdir(buf, 0700) != 0 && errno != EEXIST)
		return false;
	if ((size_t)snprintf(buf, len, "%s/run/metrics", data) >= len)
		return false;
	if (create && mkdir(buf, 0700) != 0 && errno != EEXIST)
		return false;
	return true;
}

/* Whole-file OFD lock: F_WRLCK to own, F_RDLCK to test. */
static int
lock_file(int fd, int cmd, short type, struct flock *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	return fcntl(fd, cmd, fl);
}

static bool
header_valid(const struct layout *m, const char *exe)
{
	const struct header	*h = &m->h;

	return atomic_load_explicit(&h->ready, memory_order_acquire) == 1 &&
	    memcmp(h->magic, MAGIC, sizeof(h->magic)) == 0 &&
	    h->version == LAYOUT_VERSION && h->nslots == NSLOTS &&
	    h->slot_size == sizeof(struct slot) &&
	    h->nbuckets == METRICS_NBUCKETS &&
	    strncmp(h->executable, exe, EXE_MAX) == 0;
}

/*
 * Take over the locked, current file fd of size size, or make it
 * (size 0).  false: the file is not one of ours and must be remade.
 */
static bool
adopt(int fd, off_t size, const char *exe)
{
	struct layout	*m;

	if (size != 0 && size != (off_t)sizeof(struct layout))
		return false;
	if (size == 0 && ftruncate(fd, sizeof(struct layout)) != 0)
		return false;
	m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return false;
	if (size == 0) {
		memcpy(m->h.magic, MAGIC, sizeof(m->h.magic));
		m->h.version = LAYOUT_VERSION;
		m->h.nslots = NSLOTS;
		m->h.slot_size = sizeof(struct slot);
		m->h.nbuckets = METRICS_NBUCKETS;
		snprintf(m->h.executable, sizeof(m->h.executable), "%s", exe);
		atomic_store_explicit(&m->h.ready, 1, memory_order_release);
	} else if (!header_valid(m, exe) || m->h.nused > HASHED) {
		munmap(m, sizeof(*m));
		return false;
	}
	self.map = m;
	self.fd = fd;
	return true;
}

/*
 * Own the first free file <exe>.<n>.  Between our open and our lock
 * another owner may have unlinked and remade the name; then the inode
 * we hold is not the one the name gives, and we try the name again.
 */
static bool
open_own(const char *exe)
{
	char		 dir[PATH_MAX], path[PATH_MAX + 32];
	struct stat	 st, cur;
	struct flock	 fl;
	unsigned	 i, retries = 0;
	int		 fd = -1;
	bool		 same;

	if (strlen(exe) >= EXE_MAX || strchr(exe, '/') != NULL ||
	    !metrics_dir(dir, sizeof(dir), true)) {
		log_msg(LOG_WARN, "metrics are off in this process: cannot "
		    "make the directory %s/run/metrics: %s",
		    config_get("data_directory"), strerror(errno));
		return false;
	}
	for (i = 0; i < MAX_FILES; i++) {
		snprintf(path, sizeof(path), "%s/%s.%u", dir, exe, i);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		/* Another user's file (a CGI run as root), or a symlink. */
		if (fd < 0 && (errno == EACCES || errno == EPERM ||
		    errno == ELOOP))
			continue;
		if (fd < 0)
			break;
		if (lock_file(fd, F_OFD_SETLK, F_WRLCK, &fl) != 0) {
			if (errno != EAGAIN && errno != EACCES)
				break;
			close(fd);
			fd = -1;
			continue;
		}
		if (fstat(fd, &st) != 0)
			break;
		same = stat(path, &cur) == 0 && cur.st_ino == st.st_ino &&
		    cur.st_dev == st.st_dev;
		if (!same || !adopt(fd, st.st_size, exe)) {
			if (same)
				unlink(path);	/* not ours: make it anew */
			close(fd);
			fd = -1;
			if (++retries > 16)
				break;
			i--;
			continue;
		}
		self.state = OPEN;
		return true;
	}
	log_msg(LOG_WARN, "metrics are off in this process: no file in %s: %s",
	    dir, i == MAX_FILES ? "all are in use" : strerror(errno));
	if (fd >= 0)
		close(fd);
	return false;
}

void
metrics_close(void)
{
	if (self.map != NULL)
		munmap(self.map, sizeof(*self.map));
	if (self.fd >= 0)
		close(self.fd);		/* releases the lock */
	self.map = NULL;
	self.fd = -1;
	self.state = CLOSED;
}

/* s into a field of n bytes (still zero), cut to fit. */
static void
field(char *dst, size_t n, const char *s)
{
	size_t	len = strnlen(s, n - 1);

	memcpy(dst, s, len);
}

/* A bounded label set: any other method is OTHER. */
static const char *
method_label(const char *m)
{
	static const char *const known[] = { "GET", "POST", "PUT", "PATCH",
	    "DELETE", "HEAD", "OPTIONS", NULL };
	const char *const *k;

	for (k = known; *k != NULL; k++)
		if (strcmp(*k, m) == 0)
			return *k;
	return "OTHER";
}

/*
 * A key's hash, from the request's own strings cut as field() cuts
 * them, so that a lookup copies nothing.
 */
static uint32_t
key_hash(const char *method, const char *route, int status,
    const char *code)
{
	const char	*fields[3] = { method, route, code };
	const size_t	 max[3] = { METHOD_MAX - 1, ROUTE_MAX - 1,
			    CODE_MAX - 1 };
	const unsigned char *p;
	uint32_t	 h = 2166136261u ^ (uint32_t)status;
	size_t		 n;
	int		 i;

	for (i = 0; i < 3; i++) {
		p = (const unsigned char *)fields[i];
		for (n = 0; n < max[i] && p[n] != '\0'; n++)
			h = (h ^ p[n]) * 16777619u;
		h = (h ^ 0xff) * 16777619u;
	}
	return h;
}

/* Does a stored field equal s cut to the field's size? */
#define FIELD_EQ(f, s)	(strncmp((f), (s), sizeof(f) - 1) == 0)

static struct slot *
claim(struct slot *s, const char *method, const char *route, int status,
    const char *code)
{
	field(s->key.method, sizeof(s->key.method), method);
	field(s->key.route, sizeof(s->key.route), route);
	field(s->key.code, sizeof(s->key.code), code);
	s->key.status = status;
	atomic_store_explicit(&s->used, 1, memory_order_release);
	return s;
}

static struct slot *
slot_for(const char *method, const char *route, int status,
    const char *code)
{
	struct slot	*s;
	uint32_t	 i, n;

	for (i = key_hash(method, route, status, code) % HASHED, n = 0;
	    n < HASHED; n++, i = (i + 1) % HASHED) {
		s = &self.map->slots[i];
		if (!atomic_load_explicit(&s->used, memory_order_relaxed)) {
			if (self.map->h.nused >= FILL_MAX)
				break;
			self.map->h.nused++;
			return claim(s, method, route, status, code);
		}
		if (s->key.status == status && FIELD_EQ(s->key.route, route) &&
		    FIELD_EQ(s->key.code, code) &&
		    FIELD_EQ(s->key.method, method))
			return s;
	}
	s = &self.map->slots[HASHED];
	if (!atomic_load_explicit(&s->used, memory_order_relaxed))
		claim(s, "OTHER", OVERFLOW, 0, "");
	return s;
}

/* The owner's increment: no other process writes this word. */
static void
bump(_Atomic uint64_t *c, uint64_t by)
{
	atomic_store_explicit(c, atomic_load_explicit(c,
	    memory_order_relaxed) + by, memory_order_relaxed);
}

void
metrics_record(const struct request *req, const struct response *res,
    double duration_ms)
{
	struct slot	*s;
	double		 sec = duration_ms > 0 ? duration_ms / 1000.0 : 0;
	int		 b;

	if (self.state == OFF)
		return;
	if (self.state == CLOSED && !open_own(req->service)) {
		self.state = OFF;
		return;
	}
	s = slot_for(method_label(req->method),
	    req->route != NULL ? req->route : UNMATCHED, res->status,
	    res->error_code != NULL ? res->error_code : "");
	for (b = 0; b < METRICS_NBOUNDS && sec > metrics_bucket_bounds[b]; b++)
		;
	bump(&s->buckets[b], 1);
	bump(&s->sum_us, (uint64_t)(sec * 1e6 + 0.5));
}

/* --- the scraper's side ---------------------------------------------- */

/* Growable arrays, freed by the arena once handed over. */
struct vec {
	void	*p;
	size_t	 n, cap, size;
};

static void *
vec_push(struct vec *v)
{
	void	*np;

	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		if ((np = realloc(v->p, v->cap * v->size)) == NULL)
			abort();	/* as arena_alloc does on ENOMEM */
		v->p = np;
	}
	return (char *)v->p + v->size * v->n++;
}

/* "<exe>.<n>" with exe of [a-z0-9_-]; false for anything else. */
static bool
parse_name(const char *name, char *exe, size_t len, unsigned *index)
{
	const char	*dot = strrchr(name, '.'), *p;
	char		*end;
	unsigned long	 n;

	if (dot == NULL || dot == name || (size_t)(dot - name) >= len ||
	    dot[1] < '0' || dot[1] > '9')
		return false;
	for (p = name; p < dot; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789_-", *p) == NULL)
			return false;
	n = strtoul(dot + 1, &end, 10);
	if (*end != '\0' || n >= MAX_FILES)
		return false;
	memcpy(exe, name, (size_t)(dot - name));
	exe[dot - name] = '\0';
	*index = (unsigned)n;
	return true;
}

/* Add one file's used slots to series; its total to files. */
static void
read_file(struct arena *a, int fd, const char *exe, unsigned index,
    struct vec *series, struct vec *files)
{
	const struct layout	*m;
	struct metrics_series	*s;
	struct metrics_file	*f;
	struct flock		 fl;
	struct stat		 st;
	const char		*name;
	unsigned		 i, b;

	if (fstat(fd, &st) != 0 || st.st_size != (off_t)sizeof(*m))
		return;
	m = mmap(NULL, sizeof(*m), PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return;
	if (!header_valid(m, exe))
		goto out;
	name = arena_strdup(a, exe);
	f = vec_push(files);
	memset(f, 0, sizeof(*f));
	f->executable = name;
	f->index = index;
	f->live = lock_file(fd, F_OFD_GETLK, F_RDLCK, &fl) == 0 &&
	    fl.l_type != F_UNLCK;
	for (i = 0; i < NSLOTS; i++) {
		const struct slot *sl = &m->slots[i];

		if (atomic_load_explicit(&sl->used, memory_order_acquire) != 1)
			continue;
		s = vec_push(series);
		memset(s, 0, sizeof(*s));
		s->executable = name;
		s->status = sl->key.status;
		s->method = arena_strndup(a, sl->key.method, METHOD_MAX - 1);
		s->route = arena_strndup(a, sl->key.route, ROUTE_MAX - 1);
		s->code = arena_strndup(a, sl->key.code, CODE_MAX - 1);
		s->sum_us = atomic_load_explicit(&sl->sum_us,
		    memory_order_relaxed);
		for (b = 0; b < METRICS_NBUCKETS; b++) {
			s->buckets[b] = atomic_load_explicit(&sl->buckets[b],
			    memory_order_relaxed);
			s->count += s->buckets[b];
		}
		f->requests += s->count;
	}
out:
	munmap((void *)m, sizeof(*m));
}

static int
series_cmp(const void *pa, const void *pb)
{
	const struct metrics_series *a = pa, *b = pb;
	int	c;

	if ((c = strcmp(a->executable, b->executable)) != 0 ||
	    (c = strcmp(a->route, b->route)) != 0 ||
	    (c = strcmp(a->method, b->method)) != 0)
		return c;
	if (a->status != b->status)
		return a->status < b->status ? -1 : 1;
	return strcmp(a->code, b->code);
}

static int
file_cmp(const void *pa, const void *pb)
{
	const struct metrics_file *a = pa, *b = pb;
	int	c;

	if ((c = strcmp(a->executable, b->executable)) != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Sort, then fold the rows of one key (from several files) into one. */
static size_t
merge_series(struct metrics_series *s, size_t n)
{
	size_t	i, out = 0, b;

	if (n == 0)
		return 0;
	qsort(s, n, sizeof(*s), series_cmp);
	for (i = 1; i < n; i++) {
		if (series_cmp(&s[out], &s[i]) == 0) {
			s[out].count += s[i].count;
			s[out].sum_us += s[i].sum_us;
			for (b = 0; b < METRICS_NBUCKETS; b++)
				s[out].buckets[b] += s[i].buckets[b];
		} else {
			s[++out] = s[i];
		}
	}
	return out + 1;
}

/* Hand a vec to the arena: its memory is freed at the next reset. */
static void *
vec_keep(struct arena *a, struct vec *v)
{
	arena_defer(a, free, v->p);
	return v->p;
}

bool
metrics_collect(struct arena *a, struct metrics_totals *out)
{
	struct vec	 series = { NULL, 0, 0, sizeof(struct metrics_series) };
	struct vec	 files = { NULL, 0, 0, sizeof(struct metrics_file) };
	char		 dir[PATH_MAX], exe[EXE_MAX];
	struct dirent	*e;
	unsigned	 index;
	DIR		*d;
	int		 fd;

	memset(out, 0, sizeof(*out));
	if (!metrics_dir(dir, sizeof(dir), false))
		return false;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return true;
		log_msg(LOG_ERROR, "cannot read the metrics directory %s: %s",
		    dir, strerror(errno));
		return false;
	}
	while ((e = readdir(d)) != NULL) {
		if (!parse_name(e->d_name, exe, sizeof(exe), &index))
			continue;
		fd = openat(dirfd(d), e->d_name,
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		read_file(a, fd, exe, index, &series, &files);
		close(fd);
	}
	closedir(d);
	out->nseries = merge_series(series.p, series.n);
	out->series = vec_keep(a, &series);
	if (files.n > 0)
		qsort(files.p, files.n, sizeof(struct metrics_file), file_cmp);
	out->nfiles = files.n;
	out->files = vec_keep(a, &files);
	return true;
}
