// SPDX-License-Identifier: GPL-2.0
/*
 * Per-call records: one ring per CPU, mapped read-only into the reader
 * through /dev/gtrace, with the consumer position on a page of its own
 * that the reader may write.
 *
 * Records have a fixed size that divides the page size, so a record never
 * straddles the end of the ring and no double mapping is needed. Each ring
 * has a single producer (the CPU it belongs to, with preemption disabled)
 * and a single consumer. A full ring drops the record and counts it; the
 * probe never waits. Readers sleeping in poll() are woken through irq_work
 * when a ring crosses its watermark, so the syscall path takes no lock.
 *
 * In no-drops mode (wait_max_ms set) a record that finds its ring full is
 * not dropped but handed, in a gtrace_stall, to task_work that runs when
 * the thread returns to user mode: there the thread may sleep until the
 * reader has made room (GTRACE_IOC_WAKE, or a check every jiffy), stores
 * the record and goes on; after wait_max_ms, or on a fatal signal, or
 * when the session is over, it drops the record and counts it instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/poll.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/task_work.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "gtrace_internal.h"

#define GTRACE_RING_META_PAGES	2	/* consumer page, header page */

static size_t gtrace_ring_area_size(u32 data_pages)
{
	return (size_t)(GTRACE_RING_META_PAGES + data_pages) << PAGE_SHIFT;
}

static void gtrace_ring_wake(struct irq_work *work)
{
	struct gtrace_ring *r = container_of(work, struct gtrace_ring, wake);

	wake_up_all(&r->set->wq);
}

static void gtrace_rings_free(struct gtrace_rings *set)
{
	u32 i;

	for (i = 0; i < set->nr_rings; i++) {
		struct gtrace_ring *r = &set->ring[i];

		if (!r->area)
			continue;
		irq_work_sync(&r->wake);
		gtrace_vfree(r->area, gtrace_ring_area_size(set->data_pages));
	}
	gtrace_free(set, struct_size(set, ring, set->nr_rings));
}

struct gtrace_rings *gtrace_rings_create(u32 data_pages, u32 wait_max_ms)
{
	size_t area_size = gtrace_ring_area_size(data_pages);
	struct gtrace_rings *set;
	u32 i;

	set = gtrace_alloc(struct_size(set, ring, nr_cpu_ids), GFP_KERNEL);
	if (!set)
		return NULL;
	refcount_set(&set->ref, 1);
	set->nr_rings = nr_cpu_ids;
	set->data_pages = data_pages;
	set->wait_max_ms = wait_max_ms;
	init_waitqueue_head(&set->wq);
	init_waitqueue_head(&set->room_wq);
	atomic64_set(&set->waits, 0);
	atomic64_set(&set->wait_ns, 0);

	for (i = 0; i < set->nr_rings; i++) {
		struct gtrace_ring *r = &set->ring[i];

		r->area = gtrace_vmalloc_user(area_size);
		if (!r->area)
			goto err;
		r->cons = r->area;
		r->hdr = r->area + PAGE_SIZE;
		r->data = r->area + GTRACE_RING_META_PAGES * PAGE_SIZE;
		r->size = data_pages << PAGE_SHIFT;
		r->set = set;
		r->hdr->data_size = r->size;
		r->hdr->record_size = sizeof(struct gtrace_record);
		r->hdr->cpu = i;
		r->watermark = r->size / 4;
		r->hdr->watermark = r->watermark;
		atomic_set(&r->waiters, 0);
		init_irq_work(&r->wake, gtrace_ring_wake);
	}
	return set;

err:
	gtrace_rings_free(set);
	return NULL;
}

void gtrace_rings_put(struct gtrace_rings *set)
{
	if (refcount_dec_and_test(&set->ref))
		gtrace_rings_free(set);
}

static void gtrace_ring_count_drop(struct gtrace_ring *r)
{
	r->dropped++;
	WRITE_ONCE(r->hdr->dropped, r->dropped);
}

/*
 * Store @rec in the ring of this CPU; false if it is full, with the drop
 * counted unless @may_wait. The reader is woken when the ring crosses its
 * watermark, and when it is full (a waiting writer needs it).
 */
static bool gtrace_ring_store(struct gtrace_rings *set,
			      const struct gtrace_record *rec, bool may_wait)
{
	const u32 len = sizeof(*rec);
	struct gtrace_ring *r;
	bool stored = false;
	u64 cons, pending;

	preempt_disable();
	r = &set->ring[smp_processor_id()];
	/* Pairs with the reader's release: it is done with what it passed. */
	cons = smp_load_acquire(&r->cons->consumer_pos);
	pending = r->prod - cons;
	/*
	 * Full, or a consumer position from the future (the reader's bug):
	 * drop. Positions the kernel relies on are its own copies; what the
	 * reader can write only decides whether a record fits.
	 */
	if (unlikely(pending > r->size - len)) {
		if (!may_wait)
			gtrace_ring_count_drop(r);
		else if (wq_has_sleeper(&set->wq))
			irq_work_queue(&r->wake);
		goto out;
	}
	memcpy(r->data + (r->prod & (r->size - 1)), rec, len);
	r->prod += len;
	r->written++;
	stored = true;
	/* The record is in place before the reader sees the new position. */
	smp_store_release(&r->hdr->producer_pos, r->prod);
	WRITE_ONCE(r->hdr->written, r->written);

	/* Wake only when crossing the watermark, and only a real sleeper. */
	if (pending < r->watermark && pending + len >= r->watermark &&
	    wq_has_sleeper(&set->wq))
		irq_work_queue(&r->wake);
out:
	preempt_enable();
	return stored;
}

/* Stalls not yet run: each holds code of this module in a task's list. */
static atomic_t gtrace_stalls = ATOMIC_INIT(0);

struct gtrace_stall {
	struct callback_head work;
	struct gtrace_rings *set;	/* a reference */
	struct gtrace_ring *ring;	/* found full; counts us in waiters */
	struct gtrace_record rec;
};

static void gtrace_ring_waiters_add(struct gtrace_ring *r, int n)
{
	WRITE_ONCE(r->hdr->waiters, atomic_add_return(n, &r->waiters));
}

static bool gtrace_rings_room(struct gtrace_rings *set)
{
	struct gtrace_ring *r = &set->ring[raw_smp_processor_id()];
	u64 pending = READ_ONCE(r->prod) - READ_ONCE(r->cons->consumer_pos);

	return pending <= r->size - sizeof(struct gtrace_record) ||
	       READ_ONCE(set->flushing);
}

/* task_work, on the way back to user mode: wait for room, then store. */
static void gtrace_stall_run(struct callback_head *work)
{
	struct gtrace_stall *st = container_of(work, struct gtrace_stall, work);
	struct gtrace_rings *set = st->set;
	unsigned long deadline = jiffies + msecs_to_jiffies(set->wait_max_ms);
	u64 t0 = local_clock(), waited;
	bool stored;

	for (;;) {
		long left = (long)(deadline - jiffies);

		waited = local_clock() - t0;
		st->rec.wait_ns = (s64)waited > 0 ? waited : 0;
		stored = gtrace_ring_store(set, &st->rec, true);
		if (stored || left <= 0 || READ_ONCE(set->flushing) ||
		    fatal_signal_pending(current))
			break;
		/* Woken by GTRACE_IOC_WAKE; the jiffy covers silent readers. */
		wait_event_killable_timeout(set->room_wq, gtrace_rings_room(set),
					    min(left, 1L));
	}
	if (!stored) {
		preempt_disable();
		gtrace_ring_count_drop(&set->ring[smp_processor_id()]);
		preempt_enable();
	}
	atomic64_inc(&set->waits);
	atomic64_add(st->rec.wait_ns, &set->wait_ns);
	gtrace_ring_waiters_add(st->ring, -1);
	gtrace_rings_put(set);
	gtrace_free(st, sizeof(*st));
	if (atomic_dec_and_test(&gtrace_stalls))
		wake_up_var(&gtrace_stalls);
}

/* No room in no-drops mode, in probe context: wait on the way out. */
static void gtrace_rings_stall(struct gtrace_rings *set,
			       const struct gtrace_record *rec)
{
	struct gtrace_stall *st;

	st = gtrace_alloc(sizeof(*st), GFP_NOWAIT | __GFP_NOWARN);
	if (!st)
		goto drop;
	st->set = set;
	st->rec = *rec;
	st->rec.flags |= GTRACE_RF_WAITED;
	init_task_work(&st->work, gtrace_stall_run);
	refcount_inc(&set->ref);
	atomic_inc(&gtrace_stalls);
	preempt_disable();
	st->ring = &set->ring[smp_processor_id()];
	gtrace_ring_waiters_add(st->ring, 1);
	preempt_enable();
	if (!task_work_add(current, &st->work, TWA_RESUME))
		return;
	/* The task is exiting: no way back to user mode. */
	gtrace_ring_waiters_add(st->ring, -1);
	atomic_dec(&gtrace_stalls);
	gtrace_rings_put(set);
	gtrace_free(st, sizeof(*st));
drop:
	preempt_disable();
	gtrace_ring_count_drop(&set->ring[smp_processor_id()]);
	preempt_enable();
}

void gtrace_rings_write(struct gtrace_rings *set, const struct gtrace_record *rec)
{
	bool may_wait = set->wait_max_ms && current->mm;

	if (!gtrace_ring_store(set, rec, may_wait) && may_wait)
		gtrace_rings_stall(set, rec);
}

/* Module exit: no stall may still be queued to run our code. */
void gtrace_rings_wait_exit(void)
{
	wait_var_event(&gtrace_stalls, !atomic_read(&gtrace_stalls));
}

/* The session is over: let poll() report whatever is left. */
void gtrace_rings_flush(struct gtrace_rings *set)
{
	WRITE_ONCE(set->flushing, true);
	irq_work_queue(&set->ring[raw_smp_processor_id()].wake);
	wake_up_all(&set->room_wq);
}

u64 gtrace_rings_dropped(struct gtrace_rings *set)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < set->nr_rings; i++)
		sum += READ_ONCE(set->ring[i].dropped);
	return sum;
}

u64 gtrace_rings_written(struct gtrace_rings *set)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < set->nr_rings; i++)
		sum += READ_ONCE(set->ring[i].written);
	return sum;
}

/* ---- /dev/gtrace -------------------------------------------------------- */

struct gtrace_file {
	struct mutex lock;		/* attach vs. mmap and info */
	struct gtrace_rings *set;
};

static int gtrace_dev_open(struct inode *inode, struct file *file)
{
	struct gtrace_file *gf = gtrace_alloc(sizeof(*gf), GFP_KERNEL);

	if (!gf)
		return -ENOMEM;
	mutex_init(&gf->lock);
	file->private_data = gf;
	return 0;
}

static int gtrace_dev_release(struct inode *inode, struct file *file)
{
	struct gtrace_file *gf = file->private_data;

	if (gf->set)
		gtrace_rings_put(gf->set);
	gtrace_free(gf, sizeof(*gf));
	return 0;
}

/* Bind the file to the session's rings; under the session lock. */
static int gtrace_dev_bind(struct gtrace_session *s, void *arg)
{
	struct gtrace_file *gf = arg;
	int err = 0;

	if (!s->rings)
		return -ENODATA;
	mutex_lock(&gf->lock);
	if (gf->set) {
		err = -EBUSY;
	} else {
		refcount_inc(&s->rings->ref);
		gf->set = s->rings;
	}
	mutex_unlock(&gf->lock);
	return err;
}

/* The caller's network namespace is where it looks for the session. */
static long gtrace_dev_attach(struct gtrace_file *gf, u32 __user *uid)
{
	u32 id;

	if (get_user(id, uid))
		return -EFAULT;
	return gtrace_session_call(id, current->nsproxy->net_ns,
				   gtrace_dev_bind, gf);
}

static long gtrace_dev_info(struct gtrace_file *gf, void __user *arg)
{
	struct gtrace_ring_info info = {};

	mutex_lock(&gf->lock);
	if (gf->set) {
		info.nr_rings = gf->set->nr_rings;
		info.data_pages = gf->set->data_pages;
		info.stride_pages = GTRACE_RING_META_PAGES + info.data_pages;
		info.record_size = sizeof(struct gtrace_record);
	}
	mutex_unlock(&gf->lock);
	if (!info.nr_rings)
		return -ENODATA;
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long gtrace_dev_wake(struct gtrace_file *gf)
{
	long err = -ENODATA;

	mutex_lock(&gf->lock);
	if (gf->set) {
		wake_up_all(&gf->set->room_wq);
		err = 0;
	}
	mutex_unlock(&gf->lock);
	return err;
}

static long gtrace_dev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct gtrace_file *gf = file->private_data;

	switch (cmd) {
	case GTRACE_IOC_ATTACH:
		return gtrace_dev_attach(gf, (u32 __user *)arg);
	case GTRACE_IOC_RING_INFO:
		return gtrace_dev_info(gf, (void __user *)arg);
	case GTRACE_IOC_WAKE:
		return gtrace_dev_wake(gf);
	}
	return -ENOTTY;
}

static void gtrace_vma_no_write(struct vm_area_struct *vma)
{
#ifdef GTRACE_HAVE_VM_FLAGS_CLEAR
	vm_flags_clear(vma, VM_MAYWRITE);
#else
	vma->vm_flags &= ~VM_MAYWRITE;
#endif
}

/*
 * Ring c starts at page c * stride: its consumer page may be mapped
 * read-write on its own, its header and data pages only read-only.
 */
static int gtrace_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct gtrace_file *gf = file->private_data;
	unsigned long npages = vma_pages(vma);
	struct gtrace_rings *set;
	unsigned long stride, ring, off;
	int err = -EINVAL;

	mutex_lock(&gf->lock);
	set = gf->set;
	if (!set)
		goto out;
	stride = GTRACE_RING_META_PAGES + set->data_pages;
	ring = vma->vm_pgoff / stride;
	off = vma->vm_pgoff % stride;
	if (ring >= set->nr_rings || off + npages > stride)
		goto out;
	if (off == 0) {
		if (npages != 1)
			goto out;
	} else {
		err = -EPERM;
		if (vma->vm_flags & VM_WRITE)
			goto out;
		gtrace_vma_no_write(vma);
	}
	err = remap_vmalloc_range(vma, set->ring[ring].area, off);
out:
	mutex_unlock(&gf->lock);
	return err;
}

static __poll_t gtrace_dev_poll(struct file *file, poll_table *wait)
{
	struct gtrace_file *gf = file->private_data;
	struct gtrace_rings *set = gf->set;
	bool flushing;
	u32 i;

	if (!set)
		return EPOLLERR;
	poll_wait(file, &set->wq, wait);
	flushing = READ_ONCE(set->flushing);
	for (i = 0; i < set->nr_rings; i++) {
		struct gtrace_ring *r = &set->ring[i];
		u64 pending = READ_ONCE(r->prod) - READ_ONCE(r->cons->consumer_pos);

		if (pending >= r->watermark || (flushing && pending))
			return EPOLLIN | EPOLLRDNORM;
	}
	return flushing ? EPOLLHUP : 0;
}

static const struct file_operations gtrace_dev_fops = {
	.owner = THIS_MODULE,
	.open = gtrace_dev_open,
	.release = gtrace_dev_release,
	.unlocked_ioctl = gtrace_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = gtrace_dev_mmap,
	.poll = gtrace_dev_poll,
	.llseek = noop_llseek,
};

static struct miscdevice gtrace_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "gtrace",
	.fops = &gtrace_dev_fops,
	.mode = 0666,
};

int gtrace_dev_init(void)
{
	return misc_register(&gtrace_miscdev);
}

void gtrace_dev_exit(void)
{
	misc_deregister(&gtrace_miscdev);
}
