// SPDX-License-Identifier: GPL-2.0
/*
 * Per-call records: one ring per CPU, mapped read-only into the reader
 * through /dev/gtrace, with the consumer position on a page of its own
 * that the reader may write.
 *
 * Records have a fixed size that divides the page size, so a record never
 * straddles the end of the ring and no double mapping is needed. Each ring
 * has a single producer (the CPU it belongs to, with preemption disabled)
 * and a single consumer. A full ring drops the record and counts it; it
 * never waits. Readers sleeping in poll() are woken through irq_work when
 * a ring crosses its watermark, so the syscall path takes no lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/poll.h>
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

struct gtrace_rings *gtrace_rings_create(u32 data_pages)
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
	init_waitqueue_head(&set->wq);

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

void gtrace_rings_write(struct gtrace_rings *set, const struct gtrace_record *rec)
{
	const u32 len = sizeof(*rec);
	struct gtrace_ring *r;
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
		r->dropped++;
		WRITE_ONCE(r->hdr->dropped, r->dropped);
		goto out;
	}
	memcpy(r->data + (r->prod & (r->size - 1)), rec, len);
	r->prod += len;
	r->written++;
	/* The record is in place before the reader sees the new position. */
	smp_store_release(&r->hdr->producer_pos, r->prod);
	WRITE_ONCE(r->hdr->written, r->written);

	/* Wake only when crossing the watermark, and only a real sleeper. */
	if (pending < r->watermark && pending + len >= r->watermark &&
	    wq_has_sleeper(&set->wq))
		irq_work_queue(&r->wake);
out:
	preempt_enable();
}

/* The session is over: let poll() report whatever is left. */
void gtrace_rings_flush(struct gtrace_rings *set)
{
	WRITE_ONCE(set->flushing, true);
	irq_work_queue(&set->ring[raw_smp_processor_id()].wake);
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

static long gtrace_dev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct gtrace_file *gf = file->private_data;

	switch (cmd) {
	case GTRACE_IOC_ATTACH:
		return gtrace_dev_attach(gf, (u32 __user *)arg);
	case GTRACE_IOC_RING_INFO:
		return gtrace_dev_info(gf, (void __user *)arg);
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
