// SPDX-License-Identifier: GPL-2.0-only
/*
 * AmpRelay remoteproc driver for the Cortex-M4 ("amprelay,cm4-rproc").
 *
 * Everything platform specific comes from the device tree: the window
 * regions (memory-region, translated to remote addresses by the parent
 * bus's dma-ranges), the mailbox channels "vq", "boot", "crash", "event"
 * and "ping" (bare doorbell round trips, debugfs doorbell_ping), and the
 * reset line that holds the core. Start releases the
 * reset and waits for the boot ROM's verdict in the control page; stop
 * asserts the reset, which works whatever state the core is in.
 *
 * A crash is seen four ways, each ending in one rproc_report_crash(): the
 * firmware's crash record (crash channel), amprelayd's "remote died" event,
 * and our own liveness check, which wants ctrl.heartbeat to move and each
 * liveness doorbell to be acknowledged within AR_HEARTBEAT_CHECK_MS, and
 * reports only AR_HEARTBEAT_MISSES such windows in a row.
 * While amprelayd reports the core halted by a debugger, that check and
 * the boot timeout wait: a core stopped at a breakpoint is not dead.
 */

#include <linux/cleanup.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/elf.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/mailbox_client.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/remoteproc.h>
#include <linux/reset.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <amprelay/platform.h>

#include "amprelay_rproc.h"

/* Boot ROM checks plus firmware start-up take tens of ms under TCG. */
#define AMPRELAY_RPROC_BOOT_TIMEOUT_MS	2000

/*
 * Bare doorbell round trips (debugfs doorbell_ping): one run's worth of
 * samples is kept, and a lost answer ends the run rather than hanging it.
 */
#define AMPRELAY_RPROC_PING_MAX		1000000
#define AMPRELAY_RPROC_PING_TIMEOUT_MS	1000

/* memory-region-names the driver itself relies on. */
#define AMPRELAY_RPROC_REGION_FW	"fw"
#define AMPRELAY_RPROC_REGION_CRASH	"crash"
#define AMPRELAY_RPROC_REGION_CTRL	"ctrl"
#define AMPRELAY_RPROC_REGION_VBUF	"vdev0buffer"

/*
 * A halt in gdb on the remote's gdbstub pauses the check by itself
 * (AR_EVENT_REMOTE_HALTED); this turns it off for any other way of
 * stopping the core. Read at every check, so it can be flipped at run time.
 */
static bool heartbeat_check = true;
module_param(heartbeat_check, bool, 0644);
MODULE_PARM_DESC(heartbeat_check,
		 "Report a watchdog crash when the remote stops its heartbeat (default: on)");

struct amprelay_rproc_region {
	const char *name;
	phys_addr_t pa;
	size_t size;
	u32 da;
};

struct amprelay_rproc {
	struct device *dev;
	struct rproc *rproc;
	struct amprelay_rproc_region *regions;
	unsigned int num_regions;
	const struct amprelay_rproc_region *crash_region;
	struct ar_ctrl *ctrl;
	struct reset_control *reset;

	struct mbox_client vq_client;
	struct mbox_client boot_client;
	struct mbox_client crash_client;
	struct mbox_client event_client;
	struct mbox_chan *vq_chan;
	struct mbox_chan *boot_chan;
	struct mbox_chan *crash_chan;
	struct mbox_chan *event_chan;
	struct mbox_client ping_client;
	struct mbox_chan *ping_chan;

	/* Doorbell round trips: ping_ns holds ping_count samples in ns. */
	struct mutex ping_lock;
	struct completion ping_done;
	u64 *ping_ns;
	unsigned int ping_count;

	struct workqueue_struct *vq_wq;
	struct work_struct crash_work;
	struct work_struct vq_work;
	struct completion boot_done;

	/* Crash record announced by the firmware; crash_len 0 if none. */
	u32 crash_da;
	u32 crash_len;
	void *crash_va;		/* the whole crash region */

	/* Set by the first crash report after a start: one report per fault. */
	atomic_t crash_reported;
	/* Window regions are coredump segments once per boot (not recovery). */
	bool dump_segments_added;

	struct delayed_work liveness_work;
	u32 last_heartbeat;
	u32 liveness_seq;
	/* Check windows in a row with no sign of life; with no heartbeat. */
	u32 liveness_misses;
	u32 heartbeat_stuck;
	/* Halted by a debugger (amprelayd's events); no liveness check then. */
	bool debug_halted;
	/* Set on resume: the next check only takes a new baseline. */
	atomic_t liveness_rebase;
};

static const char * const amprelay_rproc_boot_errors[] = AR_BOOTERR_STRINGS;
static const char * const amprelay_rproc_causes[] = AR_CAUSE_STRINGS;

static const struct amprelay_rproc_region *
amprelay_rproc_find_region(struct amprelay_rproc *priv, const char *name)
{
	unsigned int i;

	for (i = 0; i < priv->num_regions; i++)
		if (!strcmp(priv->regions[i].name, name))
			return &priv->regions[i];
	return NULL;
}

/* ---- Carveouts -------------------------------------------------------- */

/* mem->dma holds the region's CPU physical address (set in prepare). */
static int amprelay_rproc_mem_alloc(struct rproc *rproc,
				    struct rproc_mem_entry *mem)
{
	void __iomem *va;

	va = ioremap_wc(mem->dma, mem->len);
	if (!va) {
		dev_err(&rproc->dev, "cannot map region %s (pa %pad, %zu bytes)\n",
			mem->name, &mem->dma, mem->len);
		return -ENOMEM;
	}

	/* The core keeps a plain pointer; is_iomem selects its _io copies. */
	mem->va = (__force void *)va;
	mem->is_iomem = true;
	return 0;
}

static int amprelay_rproc_mem_release(struct rproc *rproc,
				      struct rproc_mem_entry *mem)
{
	/* Also called for carveouts that were registered but never mapped. */
	if (mem->va)
		iounmap((__force void __iomem *)mem->va);
	mem->va = NULL;
	return 0;
}

/*
 * Registered on every boot, because shutdown frees the carveout list;
 * recovery keeps it, and does not call prepare again.
 */
static int amprelay_rproc_prepare(struct rproc *rproc)
{
	struct amprelay_rproc *priv = rproc->priv;
	struct rproc_mem_entry *mem;
	unsigned int i;

	priv->crash_da = 0;
	priv->crash_len = 0;
	priv->dump_segments_added = false;

	for (i = 0; i < priv->num_regions; i++) {
		const struct amprelay_rproc_region *r = &priv->regions[i];

		if (!strcmp(r->name, AMPRELAY_RPROC_REGION_VBUF))
			/*
			 * Not mapped here: remoteproc_virtio declares it as the
			 * vdev's DMA pool at (pa, da). Its memory-region index
			 * route would instead warn on every boot, comparing
			 * the pool's CPU address with the bus's DMA limit.
			 */
			mem = rproc_mem_entry_init(priv->dev, NULL, r->pa,
						   r->size, r->da, NULL, NULL,
						   "%s", r->name);
		else
			mem = rproc_mem_entry_init(priv->dev, NULL, r->pa,
						   r->size, r->da,
						   amprelay_rproc_mem_alloc,
						   amprelay_rproc_mem_release,
						   "%s", r->name);
		if (!mem) {
			/* The core does not clean up after a failed prepare. */
			rproc_resource_cleanup(rproc);
			return -ENOMEM;
		}
		rproc_add_carveout(rproc, mem);
	}

	return 0;
}

/*
 * When the firmware is refused between prepare and resource handling (no
 * resource table, say), the core skips its cleanup and our carveouts would
 * be registered twice on the next boot; after a normal shutdown the lists
 * are already empty and this does nothing.
 */
static int amprelay_rproc_unprepare(struct rproc *rproc)
{
	rproc_resource_cleanup(rproc);
	return 0;
}

/* ---- Firmware checks -------------------------------------------------- */

/*
 * Every loaded segment must lie in the firmware region: the core's
 * da_to_va also maps the vrings, crash record and control page, so a
 * segment there would be loaded over them.
 */
static int amprelay_rproc_check_segments(struct rproc *rproc,
					 const struct firmware *fw)
{
	struct amprelay_rproc *priv = rproc->priv;
	const struct amprelay_rproc_region *region =
		amprelay_rproc_find_region(priv, AMPRELAY_RPROC_REGION_FW);
	const struct elf32_hdr *ehdr = (const struct elf32_hdr *)fw->data;
	const struct elf32_phdr *phdr;
	unsigned int i;

	if (ehdr->e_phentsize != sizeof(*phdr) ||
	    (u64)ehdr->e_phoff + (u64)ehdr->e_phnum * sizeof(*phdr) > fw->size) {
		dev_err(&rproc->dev,
			"%s: program headers run past the end of the file (%zu bytes)\n",
			rproc->firmware, fw->size);
		return -EINVAL;
	}
	phdr = (const struct elf32_phdr *)(fw->data + ehdr->e_phoff);
	for (i = 0; i < ehdr->e_phnum; i++) {
		u64 end = (u64)phdr[i].p_paddr + phdr[i].p_memsz;

		if (phdr[i].p_type != PT_LOAD || !phdr[i].p_memsz)
			continue;
		if (phdr[i].p_paddr < region->da ||
		    end > (u64)region->da + region->size) {
			dev_err(&rproc->dev,
				"%s: segment %u (da 0x%x, %u bytes) lies outside the %s load region (da 0x%x, %zu bytes); refusing to load it over other shared memory\n",
				rproc->firmware, i, phdr[i].p_paddr,
				phdr[i].p_memsz, region->name, region->da,
				region->size);
			return -EINVAL;
		}
	}
	return 0;
}

static int amprelay_rproc_sanity_check(struct rproc *rproc,
				       const struct firmware *fw)
{
	const struct elf32_hdr *ehdr;
	int ret;

	ret = rproc_elf_sanity_check(rproc, fw);
	if (ret)
		return ret;

	/* The core accepts any host-endian ELF32/64 for any machine. */
	ehdr = (const struct elf32_hdr *)fw->data;
	if (ehdr->e_ident[EI_CLASS] != ELFCLASS32 ||
	    ehdr->e_ident[EI_DATA] != ELFDATA2LSB) {
		dev_err(&rproc->dev,
			"%s is not a little-endian ELF32 image (class %u, data %u); the Cortex-M4 needs one\n",
			rproc->firmware, ehdr->e_ident[EI_CLASS],
			ehdr->e_ident[EI_DATA]);
		return -EINVAL;
	}

	if (ehdr->e_machine != EM_ARM) {
		dev_err(&rproc->dev,
			"%s is built for ELF machine %u, not ARM (%u); refusing to load it on the Cortex-M4\n",
			rproc->firmware, ehdr->e_machine, EM_ARM);
		return -EINVAL;
	}

	return amprelay_rproc_check_segments(rproc, fw);
}

/* True if [da, da + len) lies inside one of the shared-memory regions. */
static bool amprelay_rproc_da_in_regions(struct amprelay_rproc *priv, u32 da,
					 u64 len)
{
	unsigned int i;

	for (i = 0; i < priv->num_regions; i++) {
		const struct amprelay_rproc_region *r = &priv->regions[i];

		if (da >= r->da && (u64)da + len <= (u64)r->da + r->size)
			return true;
	}
	return false;
}

/*
 * The table's addresses are used by Linux and by the remote alike: a
 * trace buffer or vring outside the shared window would start a remote
 * that can never talk, and an unknown entry is a table we do not
 * understand. Refuse all three before anything is loaded.
 */
static int amprelay_rproc_check_rsc_table(struct rproc *rproc)
{
	const struct resource_table *table = rproc->cached_table;
	struct amprelay_rproc *priv = rproc->priv;
	struct device *dev = &rproc->dev;
	size_t size = rproc->table_sz;
	unsigned int i, j;

	if (size < sizeof(*table) ||
	    struct_size(table, offset, table->num) > size) {
		dev_err(dev, "%s: resource table is truncated\n", rproc->firmware);
		return -EINVAL;
	}
	for (i = 0; i < table->num; i++) {
		u32 off = table->offset[i];
		const struct fw_rsc_hdr *hdr = (const void *)table + off;
		size_t avail = size - off - sizeof(*hdr);
		const struct fw_rsc_vdev *vdev;
		const struct fw_rsc_trace *trace;

		if ((u64)off + sizeof(*hdr) > size) {
			dev_err(dev, "%s: resource entry %u lies outside the table\n",
				rproc->firmware, i);
			return -EINVAL;
		}
		switch (hdr->type) {
		case RSC_CARVEOUT:
		case RSC_DEVMEM:
		case AR_RSC_VENDOR_CRASH:
			break;
		case RSC_TRACE:
			trace = (const void *)hdr->data;
			if (sizeof(*trace) > avail)
				break;	/* the core reports the truncation */
			if (!amprelay_rproc_da_in_regions(priv, trace->da, trace->len)) {
				dev_err(dev,
					"%s: trace buffer at da 0x%x (%u bytes) lies outside the shared window; refusing the image\n",
					rproc->firmware, trace->da, trace->len);
				return -EINVAL;
			}
			break;
		case RSC_VDEV:
			vdev = (const void *)hdr->data;
			if (struct_size(vdev, vring, vdev->num_of_vrings) > avail)
				break;	/* the core reports the truncation */
			for (j = 0; j < vdev->num_of_vrings; j++) {
				const struct fw_rsc_vdev_vring *vr = &vdev->vring[j];

				if (vr->da == FW_RSC_ADDR_ANY)
					continue;
				if (!amprelay_rproc_da_in_regions(priv, vr->da, 1)) {
					dev_err(dev,
						"%s: vring %u at da 0x%x lies outside the shared window; refusing the image\n",
						rproc->firmware, j, vr->da);
					return -EINVAL;
				}
			}
			break;
		default:
			dev_err(dev,
				"%s: resource entry %u has unknown type %u; refusing the image\n",
				rproc->firmware, i, hdr->type);
			return -EINVAL;
		}
	}
	return 0;
}

static int amprelay_rproc_parse_fw(struct rproc *rproc,
				   const struct firmware *fw)
{
	int ret;

	/* Without the table there is no vdev, so no rpmsg: refuse the image. */
	ret = rproc_elf_load_rsc_table(rproc, fw);
	if (ret == -EINVAL)
		dev_err(&rproc->dev,
			"%s has no usable resource table (.resource_table section); refusing to boot it\n",
			rproc->firmware);
	if (ret)
		return ret;
	return amprelay_rproc_check_rsc_table(rproc);
}

static int amprelay_rproc_handle_crash_rsc(struct amprelay_rproc *priv,
					   const struct ar_rsc_crash *rsc,
					   int avail)
{
	const struct amprelay_rproc_region *region = priv->crash_region;
	struct device *dev = &priv->rproc->dev;
	u64 end;

	if (sizeof(*rsc) > avail) {
		dev_err(dev, "crash record resource is truncated\n");
		return -EINVAL;
	}

	if (rsc->reserved) {
		dev_err(dev, "crash record resource has a non-zero reserved word\n");
		return -EINVAL;
	}

	if (rsc->len < sizeof(struct ar_crash_record)) {
		dev_err(dev, "crash record resource is %u bytes, a record needs %zu\n",
			rsc->len, sizeof(struct ar_crash_record));
		return -EINVAL;
	}

	end = (u64)rsc->da + rsc->len;
	if (rsc->da < region->da || end > (u64)region->da + region->size) {
		dev_err(dev,
			"crash record at da 0x%x (%u bytes) lies outside the %s region (da 0x%x, %zu bytes)\n",
			rsc->da, rsc->len, region->name, region->da,
			region->size);
		return -EINVAL;
	}

	priv->crash_da = rsc->da;
	priv->crash_len = rsc->len;
	return RSC_HANDLED;
}

static int amprelay_rproc_handle_rsc(struct rproc *rproc, u32 rsc_type,
				     void *rsc, int offset, int avail)
{
	if (rsc_type != AR_RSC_VENDOR_CRASH)
		return RSC_IGNORED;

	return amprelay_rproc_handle_crash_rsc(rproc->priv, rsc, avail);
}

/* ---- Coredump --------------------------------------------------------- */

/* End of what the image occupies in the load area, .bss and stack included. */
static u32 amprelay_rproc_image_end(const struct firmware *fw, u32 base,
				    u32 size)
{
	const struct elf32_hdr *ehdr = (const struct elf32_hdr *)fw->data;
	const struct elf32_phdr *phdr;
	u64 end = base;
	unsigned int i;

	/* The loader has already checked the program headers. */
	phdr = (const struct elf32_phdr *)(fw->data + ehdr->e_phoff);
	for (i = 0; i < ehdr->e_phnum; i++) {
		u64 seg_end = (u64)phdr[i].p_paddr + phdr[i].p_memsz;

		if (phdr[i].p_type != PT_LOAD || phdr[i].p_paddr < base ||
		    seg_end > (u64)base + size)
			continue;
		end = max(end, seg_end);
	}
	return end;
}

/*
 * The dump holds what a post-mortem needs: the image's data and stack,
 * the vrings, the trace buffer, the crash record and the control page.
 * The buffer pool is left out (1 MiB of old messages, not ours to map).
 */
static int amprelay_rproc_add_dump_segments(struct amprelay_rproc *priv,
					    const struct firmware *fw)
{
	struct rproc *rproc = priv->rproc;
	unsigned int i;
	int ret;

	for (i = 0; i < priv->num_regions; i++) {
		const struct amprelay_rproc_region *r = &priv->regions[i];
		size_t len = r->size;

		if (!strcmp(r->name, AMPRELAY_RPROC_REGION_VBUF))
			continue;
		if (!strcmp(r->name, AMPRELAY_RPROC_REGION_FW))
			len = amprelay_rproc_image_end(fw, r->da, r->size) - r->da;
		if (!len)
			continue;
		ret = rproc_coredump_add_segment(rproc, r->da, len);
		if (ret)
			return ret;
	}
	priv->dump_segments_added = true;
	return 0;
}

/* Recovery reloads through here too; the segments stay from the boot. */
static int amprelay_rproc_load(struct rproc *rproc, const struct firmware *fw)
{
	struct amprelay_rproc *priv = rproc->priv;
	int ret;

	ret = rproc_elf_load_segments(rproc, fw);
	if (ret)
		return ret;
	if (priv->dump_segments_added)
		return 0;
	return amprelay_rproc_add_dump_segments(priv, fw);
}

/* ---- Crash detection -------------------------------------------------- */

/* Only the first report after a start counts: one fault, one recovery. */
static bool amprelay_rproc_claim_crash(struct amprelay_rproc *priv)
{
	if (READ_ONCE(priv->rproc->state) != RPROC_RUNNING)
		return false;
	return atomic_cmpxchg(&priv->crash_reported, 0, 1) == 0;
}

static enum rproc_crash_type amprelay_rproc_crash_type(u32 cause)
{
	switch (cause) {
	case AR_CAUSE_MEMMANAGE:
		return RPROC_MMUFAULT;
	case AR_CAUSE_WATCHDOG:
	case AR_CAUSE_UNEXPECTED_RESET:
		return RPROC_WATCHDOG;
	default:
		return RPROC_FATAL_ERROR;
	}
}

static const char *amprelay_rproc_crash_type_name(enum rproc_crash_type type)
{
	switch (type) {
	case RPROC_MMUFAULT:
		return "mmufault";
	case RPROC_WATCHDOG:
		return "watchdog";
	default:
		return "fatal error";
	}
}

/*
 * One dmesg line per crash, from the record the firmware left. Runs on the
 * ordered vring workqueue, after the vring work queued by any doorbell that
 * came before the crash, so a message the remote sent just before it
 * failed (the reply to "fault", say) still reaches its endpoint.
 */
static void amprelay_rproc_crash_work(struct work_struct *work)
{
	struct amprelay_rproc *priv =
		container_of(work, struct amprelay_rproc, crash_work);
	struct rproc *rproc = priv->rproc;
	struct device *dev = &rproc->dev;
	enum rproc_crash_type type;
	struct ar_crash_record rec;

	/*
	 * Booting, stopped, already crashed or not registered: nothing to
	 * recover (start's timeout reports a failed boot), or already
	 * reported.
	 */
	if (!amprelay_rproc_claim_crash(priv))
		return;

	if (!priv->crash_len) {
		dev_err(dev, "crash doorbell, but the firmware declared no crash record; reporting fatal error\n");
		rproc_report_crash(rproc, RPROC_FATAL_ERROR);
		return;
	}

	memcpy(&rec, priv->crash_va + (priv->crash_da - priv->crash_region->da),
	       sizeof(rec));
	rec.msg[sizeof(rec.msg) - 1] = '\0';
	if (rec.magic != AR_CRASH_MAGIC || rec.cause == AR_CAUSE_NONE ||
	    rec.cause >= ARRAY_SIZE(amprelay_rproc_causes)) {
		dev_err(dev, "crash doorbell with no valid record (magic 0x%08x, cause %u); reporting fatal error\n",
			rec.magic, rec.cause);
		rproc_report_crash(rproc, RPROC_FATAL_ERROR);
		return;
	}

	type = amprelay_rproc_crash_type(rec.cause);
	dev_err(dev,
		"remote crash #%u: %s at pc 0x%08x lr 0x%08x sp 0x%08x (cfsr 0x%08x hfsr 0x%08x mmfar 0x%08x bfar 0x%08x)%s%s%s, reporting %s\n",
		rec.count, amprelay_rproc_causes[rec.cause], rec.pc, rec.lr,
		rec.sp, rec.cfsr, rec.hfsr, rec.mmfar, rec.bfar,
		rec.msg[0] ? " \"" : "", rec.msg, rec.msg[0] ? "\"" : "",
		amprelay_rproc_crash_type_name(type));
	rproc_report_crash(rproc, type);
}

static void amprelay_rproc_crash_rx(struct mbox_client *cl, void *msg)
{
	struct amprelay_rproc *priv =
		container_of(cl, struct amprelay_rproc, crash_client);

	queue_work(priv->vq_wq, &priv->crash_work);
}

/*
 * A debugger stopped or resumed the core. Events are levels, and repeats
 * (gdb steps over a breakpoint with resume, stop, resume) change nothing.
 * On resume the liveness check starts over from a fresh baseline, and a
 * start waiting for the boot report gets its full timeout again.
 */
static void amprelay_rproc_debug_halt(struct amprelay_rproc *priv, bool halted)
{
	struct rproc *rproc = priv->rproc;

	if (READ_ONCE(priv->debug_halted) == halted)
		return;
	WRITE_ONCE(priv->debug_halted, halted);
	/* Each gdb step is a resume and a stop: keep the log readable. */
	dev_info_ratelimited(&rproc->dev, halted ?
		 "remote core halted by a debugger: liveness check and boot timeout paused\n" :
		 "remote core resumed by the debugger: liveness check restarts\n");
	complete(&priv->boot_done);
	if (!halted) {
		atomic_set(&priv->liveness_rebase, 1);
		if (READ_ONCE(rproc->state) == RPROC_RUNNING)
			mod_delayed_work(system_wq, &priv->liveness_work, 0);
	}
}

static void amprelay_rproc_event_rx(struct mbox_client *cl, void *msg)
{
	struct amprelay_rproc *priv =
		container_of(cl, struct amprelay_rproc, event_client);
	struct rproc *rproc = priv->rproc;
	u32 event = (uintptr_t)msg;

	if (event == AR_EVENT_REMOTE_HALTED || event == AR_EVENT_REMOTE_RESUMED) {
		amprelay_rproc_debug_halt(priv, event == AR_EVENT_REMOTE_HALTED);
		return;
	}
	if (event != AR_EVENT_REMOTE_DIED)
		return;
	/*
	 * A relaunched remote is free of the debugger, and no resume will
	 * come: a start waiting on the halt goes back to its boot timeout.
	 */
	WRITE_ONCE(priv->debug_halted, false);
	complete(&priv->boot_done);
	if (!amprelay_rproc_claim_crash(priv))
		return;
	dev_err(&rproc->dev,
		"remote crash: the remote QEMU process died (amprelayd event), reporting watchdog\n");
	rproc_report_crash(rproc, RPROC_WATCHDOG);
}

static void amprelay_rproc_ring_vq(struct amprelay_rproc *priv)
{
	if (mbox_send_message(priv->vq_chan, NULL) >= 0)
		mbox_client_txdone(priv->vq_chan, 0);
}

static void amprelay_rproc_liveness_arm(struct amprelay_rproc *priv)
{
	struct ar_ctrl *ctrl = priv->ctrl;

	priv->last_heartbeat = READ_ONCE(ctrl->heartbeat);
	priv->liveness_seq++;
	WRITE_ONCE(ctrl->liveness_seq, priv->liveness_seq);
	/* The firmware acknowledges on the doorbell interrupt, not on a poll. */
	amprelay_rproc_ring_vq(priv);
	schedule_delayed_work(&priv->liveness_work,
			      msecs_to_jiffies(AR_HEARTBEAT_CHECK_MS));
}

/*
 * Runs between a successful start and the next stop, which cancels it (a
 * debugger's resume during a stop can queue it once more; it then finds
 * the core no longer running, and start cancels it before arming). It
 * never takes rproc->lock, which stop and start hold while cancelling.
 */
static void amprelay_rproc_liveness_work(struct work_struct *work)
{
	struct amprelay_rproc *priv =
		container_of(to_delayed_work(work), struct amprelay_rproc,
			     liveness_work);
	struct rproc *rproc = priv->rproc;
	struct ar_ctrl *ctrl = priv->ctrl;
	u32 heartbeat, ack;

	if (READ_ONCE(rproc->state) != RPROC_RUNNING ||
	    atomic_read(&priv->crash_reported))
		return;
	/* Halted in a debugger: the resume arms the check again. */
	if (READ_ONCE(priv->debug_halted))
		return;
	if (atomic_xchg(&priv->liveness_rebase, 0)) {
		priv->liveness_misses = 0;
		priv->heartbeat_stuck = 0;
		amprelay_rproc_liveness_arm(priv);
		return;
	}

	heartbeat = READ_ONCE(ctrl->heartbeat);
	ack = READ_ONCE(ctrl->liveness_ack);
	if (heartbeat == priv->last_heartbeat)
		priv->heartbeat_stuck++;
	else
		priv->heartbeat_stuck = 0;
	if (!READ_ONCE(heartbeat_check) ||
	    (heartbeat != priv->last_heartbeat && ack == priv->liveness_seq)) {
		priv->liveness_misses = 0;
		amprelay_rproc_liveness_arm(priv);
		return;
	}
	/*
	 * One silent window may be the host not scheduling the remote QEMU:
	 * a new baseline and doorbell give it another before it is called dead.
	 */
	if (++priv->liveness_misses < AR_HEARTBEAT_MISSES) {
		amprelay_rproc_liveness_arm(priv);
		return;
	}
	if (!amprelay_rproc_claim_crash(priv))
		return;
	if (heartbeat == priv->last_heartbeat)
		dev_err(&rproc->dev,
			"remote crash: heartbeat stuck at %u for %u ms, reporting watchdog\n",
			heartbeat, priv->heartbeat_stuck * AR_HEARTBEAT_CHECK_MS);
	else
		dev_err(&rproc->dev,
			"remote crash: liveness doorbell %u not acknowledged within %u ms (last ack %u), reporting watchdog\n",
			priv->liveness_seq, AR_HEARTBEAT_CHECK_MS, ack);
	rproc_report_crash(rproc, RPROC_WATCHDOG);
}

/* ---- Start, stop, kick ------------------------------------------------ */

/*
 * The boot mailbox only says "look at ctrl"; boot_state is the verdict. A
 * stale ring costs one more look, and a ring that comes between the look
 * and the wait is kept by the completion's count.
 */
static int amprelay_rproc_wait_boot(struct amprelay_rproc *priv, u32 *state)
{
	unsigned long deadline;
	long left;

	deadline = jiffies + msecs_to_jiffies(AMPRELAY_RPROC_BOOT_TIMEOUT_MS);
	for (;;) {
		*state = READ_ONCE(priv->ctrl->boot_state);
		if (*state == AR_BOOT_RUNNING || *state == AR_BOOT_ERROR)
			return 0;

		/*
		 * Stopped in a debugger (e.g. at the reset handler): wait for
		 * the resume, however long, then time the boot afresh. In
		 * steps of a second, so the wait never looks like a hung task.
		 */
		if (READ_ONCE(priv->debug_halted)) {
			if (wait_for_completion_killable_timeout(&priv->boot_done,
								 HZ) < 0)
				return -EINTR;
			deadline = jiffies +
				   msecs_to_jiffies(AMPRELAY_RPROC_BOOT_TIMEOUT_MS);
			continue;
		}
		left = (long)(deadline - jiffies);
		if (left <= 0)
			return -ETIMEDOUT;
		wait_for_completion_timeout(&priv->boot_done, left);
	}
}

static void amprelay_rproc_hold(struct amprelay_rproc *priv)
{
	int ret;

	ret = reset_control_assert(priv->reset);
	if (ret)
		dev_err(&priv->rproc->dev,
			"cannot put the remote core back in reset: %d\n", ret);
}

static int amprelay_rproc_start(struct rproc *rproc)
{
	struct amprelay_rproc *priv = rproc->priv;
	struct ar_ctrl *ctrl = priv->ctrl;
	struct device *dev = &rproc->dev;
	u32 state, err;
	int ret;

	WRITE_ONCE(ctrl->boot_error, AR_BOOTERR_NONE);
	WRITE_ONCE(ctrl->boot_state, AR_BOOT_IDLE);
	/* Only the image about to run may report a build id. */
	WRITE_ONCE(ctrl->build_id, 0);
	/* A release by Linux is expected: the boot ROM must not report it. */
	WRITE_ONCE(ctrl->running, 0);
	WRITE_ONCE(ctrl->liveness_seq, 0);
	WRITE_ONCE(ctrl->liveness_ack, 0);
	priv->liveness_seq = 0;
	priv->liveness_misses = 0;
	priv->heartbeat_stuck = 0;
	atomic_set(&priv->crash_reported, 0);
	atomic_set(&priv->liveness_rebase, 0);
	reinit_completion(&priv->boot_done);

	ret = reset_control_deassert(priv->reset);
	if (ret) {
		dev_err(dev, "cannot release the remote core from reset: %d\n",
			ret);
		return ret;
	}

	ret = amprelay_rproc_wait_boot(priv, &state);
	if (ret == -EINTR) {
		dev_err(dev, "start interrupted while a debugger held the remote core; holding it in reset\n");
		amprelay_rproc_hold(priv);
		return ret;
	}
	if (ret) {
		dev_err(dev,
			"no boot report from the remote within %u ms (boot_state %u, boot_count %u)\n",
			AMPRELAY_RPROC_BOOT_TIMEOUT_MS, state,
			READ_ONCE(ctrl->boot_count));
		amprelay_rproc_hold(priv);
		return ret;
	}

	if (state == AR_BOOT_ERROR) {
		err = READ_ONCE(ctrl->boot_error);
		if (err < ARRAY_SIZE(amprelay_rproc_boot_errors))
			dev_err(dev, "boot ROM rejected the image: %s\n",
				amprelay_rproc_boot_errors[err]);
		else
			dev_err(dev, "boot ROM rejected the image: unknown error %u\n",
				err);
		amprelay_rproc_hold(priv);
		return -ENOEXEC;
	}

	dev_info(dev, "firmware running, build id 0x%08x\n",
		 READ_ONCE(ctrl->build_id));
	cancel_delayed_work_sync(&priv->liveness_work);
	amprelay_rproc_liveness_arm(priv);
	return 0;
}

static int amprelay_rproc_stop(struct rproc *rproc)
{
	struct amprelay_rproc *priv = rproc->priv;
	int ret;

	cancel_delayed_work_sync(&priv->liveness_work);

	/* amprelayd stops and resets the remote QEMU, then acks. */
	ret = reset_control_assert(priv->reset);
	if (ret)
		dev_err(&rproc->dev, "cannot hold the remote core in reset: %d\n",
			ret);
	else
		WRITE_ONCE(priv->ctrl->build_id, 0);
	return ret;
}

static void amprelay_rproc_kick(struct rproc *rproc, int vqid)
{
	struct amprelay_rproc *priv = rproc->priv;
	int ret;

	/* One doorbell serves both vrings; the remote looks at both. */
	ret = mbox_send_message(priv->vq_chan, NULL);
	if (ret < 0) {
		dev_err_ratelimited(&rproc->dev, "cannot kick vring %d: %d\n",
				    vqid, ret);
		return;
	}
	mbox_client_txdone(priv->vq_chan, 0);
}

static const struct rproc_ops amprelay_rproc_ops = {
	.prepare = amprelay_rproc_prepare,
	.unprepare = amprelay_rproc_unprepare,
	.start = amprelay_rproc_start,
	.stop = amprelay_rproc_stop,
	.kick = amprelay_rproc_kick,
	.handle_rsc = amprelay_rproc_handle_rsc,
	/* Setting .load means the core fills in none of the ELF helpers. */
	.load = amprelay_rproc_load,
	.parse_fw = amprelay_rproc_parse_fw,
	.sanity_check = amprelay_rproc_sanity_check,
	.find_loaded_rsc_table = rproc_elf_find_loaded_rsc_table,
	.get_boot_addr = rproc_elf_get_boot_addr,
};

/* ---- Mailbox clients -------------------------------------------------- */

static void amprelay_rproc_vq_work(struct work_struct *work)
{
	struct amprelay_rproc *priv =
		container_of(work, struct amprelay_rproc, vq_work);
	struct rproc *rproc = priv->rproc;
	int id;

	/*
	 * Stop and recovery tear the vrings down under rproc->lock, and
	 * leave the state other than RUNNING until they are rebuilt.
	 */
	guard(mutex)(&rproc->lock);
	if (rproc->state != RPROC_RUNNING)
		return;

	for (id = 0; id <= rproc->max_notifyid; id++)
		rproc_vq_interrupt(rproc, id);
}

static void amprelay_rproc_vq_rx(struct mbox_client *cl, void *msg)
{
	struct amprelay_rproc *priv =
		container_of(cl, struct amprelay_rproc, vq_client);

	/* Atomic context here, and the rpmsg receive path sleeps. */
	queue_work(priv->vq_wq, &priv->vq_work);
}

static void amprelay_rproc_boot_rx(struct mbox_client *cl, void *msg)
{
	struct amprelay_rproc *priv =
		container_of(cl, struct amprelay_rproc, boot_client);

	complete(&priv->boot_done);
}

static void amprelay_rproc_ping_rx(struct mbox_client *cl, void *msg)
{
	struct amprelay_rproc *priv =
		container_of(cl, struct amprelay_rproc, ping_client);

	complete(&priv->ping_done);
}

/* ---- Bare doorbell round trips (debugfs) ------------------------------ */

/*
 * The platform's latency floor: ring AR_MBOX_PING, which the remote's
 * UART1 interrupt handler sends straight back, and time it from here.
 * Only a running firmware answers.
 */
static int amprelay_rproc_ping_run(struct amprelay_rproc *priv,
				   unsigned int count)
{
	unsigned long timeout = msecs_to_jiffies(AMPRELAY_RPROC_PING_TIMEOUT_MS);
	unsigned int i;
	long left;
	u64 t0;
	int ret;

	kvfree(priv->ping_ns);
	priv->ping_count = 0;
	priv->ping_ns = kvmalloc_array(count, sizeof(*priv->ping_ns),
				       GFP_KERNEL);
	if (!priv->ping_ns)
		return -ENOMEM;

	for (i = 0; i < count; i++) {
		if (READ_ONCE(priv->rproc->state) != RPROC_RUNNING) {
			dev_err(priv->dev,
				"doorbell ping: the remote is not running\n");
			return -ENODEV;
		}
		reinit_completion(&priv->ping_done);
		t0 = ktime_get_ns();
		ret = mbox_send_message(priv->ping_chan, NULL);
		if (ret < 0)
			return ret;
		mbox_client_txdone(priv->ping_chan, 0);
		left = wait_for_completion_interruptible_timeout(&priv->ping_done,
								 timeout);
		if (left < 0)
			return left;
		if (!left) {
			dev_err(priv->dev,
				"doorbell ping %u of %u: no answer within %u ms\n",
				i + 1, count, AMPRELAY_RPROC_PING_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		priv->ping_ns[priv->ping_count++] = ktime_get_ns() - t0;
	}
	return 0;
}

/* Writing N runs N round trips; reading gives the last run's samples. */
static ssize_t amprelay_rproc_ping_write(struct file *file,
					 const char __user *buf, size_t len,
					 loff_t *pos)
{
	struct seq_file *m = file->private_data;
	struct amprelay_rproc *priv = m->private;
	unsigned int count;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &count);
	if (ret)
		return ret;
	if (!count || count > AMPRELAY_RPROC_PING_MAX) {
		dev_err(priv->dev,
			"doorbell ping: give a count from 1 to %u\n",
			AMPRELAY_RPROC_PING_MAX);
		return -EINVAL;
	}

	guard(mutex)(&priv->ping_lock);
	ret = amprelay_rproc_ping_run(priv, count);
	return ret ? ret : len;
}

static void *amprelay_rproc_ping_seq_start(struct seq_file *m, loff_t *pos)
{
	struct amprelay_rproc *priv = m->private;

	mutex_lock(&priv->ping_lock);
	return *pos < priv->ping_count ? &priv->ping_ns[*pos] : NULL;
}

static void *amprelay_rproc_ping_seq_next(struct seq_file *m, void *v,
					  loff_t *pos)
{
	struct amprelay_rproc *priv = m->private;

	++*pos;
	return *pos < priv->ping_count ? &priv->ping_ns[*pos] : NULL;
}

static void amprelay_rproc_ping_seq_stop(struct seq_file *m, void *v)
{
	struct amprelay_rproc *priv = m->private;

	mutex_unlock(&priv->ping_lock);
}

static int amprelay_rproc_ping_seq_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%llu\n", *(u64 *)v);
	return 0;
}

static const struct seq_operations amprelay_rproc_ping_seq_ops = {
	.start = amprelay_rproc_ping_seq_start,
	.next = amprelay_rproc_ping_seq_next,
	.stop = amprelay_rproc_ping_seq_stop,
	.show = amprelay_rproc_ping_seq_show,
};

static int amprelay_rproc_ping_open(struct inode *inode, struct file *file)
{
	int ret = seq_open(file, &amprelay_rproc_ping_seq_ops);

	if (!ret)
		((struct seq_file *)file->private_data)->private =
			inode->i_private;
	return ret;
}

static const struct file_operations amprelay_rproc_ping_fops = {
	.owner = THIS_MODULE,
	.open = amprelay_rproc_ping_open,
	.read = seq_read,
	.write = amprelay_rproc_ping_write,
	.llseek = seq_lseek,
	.release = seq_release,
};

static void amprelay_rproc_free_ping(void *data)
{
	struct amprelay_rproc *priv = data;

	kvfree(priv->ping_ns);
}

static void amprelay_rproc_free_mbox(void *chan)
{
	mbox_free_channel(chan);
}

static int amprelay_rproc_request_mbox(struct amprelay_rproc *priv,
				       struct mbox_client *cl,
				       struct mbox_chan **chan,
				       const char *name,
				       void (*rx)(struct mbox_client *cl,
						  void *msg))
{
	struct device *dev = priv->dev;

	cl->dev = dev;
	cl->rx_callback = rx;
	/* Kicks come from atomic context; the doorbell has no TX done IRQ. */
	cl->tx_block = false;
	cl->knows_txdone = true;

	*chan = mbox_request_channel_byname(cl, name);
	if (IS_ERR(*chan))
		return dev_err_probe(dev, PTR_ERR(*chan),
				     "cannot get mailbox channel '%s'\n", name);

	return devm_add_action_or_reset(dev, amprelay_rproc_free_mbox, *chan);
}

static void amprelay_rproc_destroy_wq(void *wq)
{
	destroy_workqueue(wq);
}

/* A check still queued after a crash must not outlive the driver. */
static void amprelay_rproc_cancel_liveness(void *data)
{
	struct amprelay_rproc *priv = data;

	cancel_delayed_work_sync(&priv->liveness_work);
}

/* ---- Probe ------------------------------------------------------------ */

static int amprelay_rproc_parse_region(struct amprelay_rproc *priv,
				       unsigned int index)
{
	struct amprelay_rproc_region *r = &priv->regions[index];
	struct device *dev = priv->dev;
	struct device_node *np = dev->of_node;
	struct device_node *node;
	struct reserved_mem *rmem;
	dma_addr_t da, da_last;
	int ret;

	ret = of_property_read_string_index(np, "memory-region-names", index,
					    &r->name);
	if (ret)
		return dev_err_probe(dev, ret,
				     "memory-region %u has no entry in memory-region-names\n",
				     index);

	node = of_parse_phandle(np, "memory-region", index);
	if (!node)
		return dev_err_probe(dev, -EINVAL,
				     "memory-region %u (%s) is not a phandle\n",
				     index, r->name);
	rmem = of_reserved_mem_lookup(node);
	of_node_put(node);
	if (!rmem || !rmem->size)
		return dev_err_probe(dev, -EINVAL,
				     "memory-region %s is not a reserved-memory region\n",
				     r->name);

	/* The remote's view of the region comes from the bus's dma-ranges. */
	da = phys_to_dma(dev, rmem->base);
	da_last = phys_to_dma(dev, rmem->base + rmem->size - 1);
	if (da == DMA_MAPPING_ERROR || da_last != da + rmem->size - 1 ||
	    upper_32_bits(da_last))
		return dev_err_probe(dev, -EINVAL,
				     "memory-region %s (pa %pa, %pa bytes) is not inside a 32-bit dma-ranges window of the parent bus\n",
				     r->name, &rmem->base, &rmem->size);

	r->pa = rmem->base;
	r->size = rmem->size;
	r->da = da;
	dev_dbg(dev, "region %s: pa %pa, da 0x%08x, %zu bytes\n", r->name,
		&r->pa, r->da, r->size);
	return 0;
}

/* A region the driver itself uses, with room for what it holds. */
static int
amprelay_rproc_need_region(struct amprelay_rproc *priv, const char *name,
			   size_t min_size,
			   const struct amprelay_rproc_region **region)
{
	*region = amprelay_rproc_find_region(priv, name);
	if (!*region)
		return dev_err_probe(priv->dev, -EINVAL,
				     "no memory-region named \"%s\" in memory-region-names\n",
				     name);
	if ((*region)->size < min_size)
		return dev_err_probe(priv->dev, -EINVAL,
				     "memory-region %s is %zu bytes, it needs at least %zu\n",
				     name, (*region)->size, min_size);
	return 0;
}

static int amprelay_rproc_parse_regions(struct amprelay_rproc *priv)
{
	const struct amprelay_rproc_region *fw, *ctrl, *crash;
	struct device *dev = priv->dev;
	unsigned int i;
	int count, ret;

	if (!dev->dma_range_map)
		return dev_err_probe(dev, -EINVAL,
				     "the parent bus has no dma-ranges: cannot tell the remote's addresses of the regions\n");

	count = of_count_phandle_with_args(dev->of_node, "memory-region", NULL);
	if (count <= 0)
		return dev_err_probe(dev, -EINVAL,
				     "no memory-region in the device tree node\n");

	priv->regions = devm_kcalloc(dev, count, sizeof(*priv->regions),
				     GFP_KERNEL);
	if (!priv->regions)
		return -ENOMEM;
	priv->num_regions = count;

	for (i = 0; i < priv->num_regions; i++) {
		ret = amprelay_rproc_parse_region(priv, i);
		if (ret)
			return ret;
	}

	ret = amprelay_rproc_need_region(priv, AMPRELAY_RPROC_REGION_FW,
					 sizeof(struct ar_image_header), &fw);
	if (ret)
		return ret;
	ret = amprelay_rproc_need_region(priv, AMPRELAY_RPROC_REGION_CTRL,
					 sizeof(struct ar_ctrl), &ctrl);
	if (ret)
		return ret;
	ret = amprelay_rproc_need_region(priv, AMPRELAY_RPROC_REGION_CRASH,
					 sizeof(struct ar_crash_record), &crash);
	if (ret)
		return ret;

	/* The boot ROM looks for the image header at a fixed address. */
	if (fw->da != AR_WIN_REMOTE_DA + AR_IMAGE_HEADER_OFF)
		return dev_err_probe(dev, -EINVAL,
				     "region %s translates to da 0x%08x but the boot ROM reads the image at 0x%08x: check dma-ranges\n",
				     fw->name, fw->da,
				     AR_WIN_REMOTE_DA + AR_IMAGE_HEADER_OFF);

	/* The driver's own view of the boot handshake, next to the carveout. */
	priv->ctrl = devm_memremap(dev, ctrl->pa, ctrl->size, MEMREMAP_WC);
	if (IS_ERR(priv->ctrl))
		return dev_err_probe(dev, PTR_ERR(priv->ctrl),
				     "cannot map region %s\n", ctrl->name);

	priv->crash_va = devm_memremap(dev, crash->pa, crash->size,
				       MEMREMAP_WC);
	if (IS_ERR(priv->crash_va))
		return dev_err_probe(dev, PTR_ERR(priv->crash_va),
				     "cannot map region %s\n", crash->name);

	priv->crash_region = crash;
	return 0;
}

static int amprelay_rproc_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct amprelay_rproc *priv;
	const char *fw_name = NULL;
	struct rproc *rproc;
	int ret;

	/* Absent: the core's default name is used. */
	of_property_read_string(dev->of_node, "firmware-name", &fw_name);

	rproc = devm_rproc_alloc(dev, "cm4", &amprelay_rproc_ops, fw_name,
				 sizeof(*priv));
	if (!rproc)
		return -ENOMEM;

	priv = rproc->priv;
	priv->dev = dev;
	priv->rproc = rproc;
	init_completion(&priv->boot_done);
	INIT_WORK(&priv->vq_work, amprelay_rproc_vq_work);
	INIT_WORK(&priv->crash_work, amprelay_rproc_crash_work);
	INIT_DELAYED_WORK(&priv->liveness_work, amprelay_rproc_liveness_work);
	init_completion(&priv->ping_done);
	ret = devm_mutex_init(dev, &priv->ping_lock);
	if (ret)
		return ret;
	/* Runs after rproc_del has removed the debugfs file. */
	ret = devm_add_action_or_reset(dev, amprelay_rproc_free_ping, priv);
	if (ret)
		return ret;

	ret = amprelay_rproc_parse_regions(priv);
	if (ret)
		return ret;

	/* Allocated before the channels so it outlives their callbacks. */
	/* Ordered: a crash is handled after the vring work queued before it. */
	priv->vq_wq = alloc_ordered_workqueue("amprelay_rproc_vq", WQ_HIGHPRI);
	if (!priv->vq_wq)
		return -ENOMEM;
	ret = devm_add_action_or_reset(dev, amprelay_rproc_destroy_wq,
				       priv->vq_wq);
	if (ret)
		return ret;

	ret = amprelay_rproc_request_mbox(priv, &priv->vq_client,
					  &priv->vq_chan, "vq",
					  amprelay_rproc_vq_rx);
	if (ret)
		return ret;
	ret = amprelay_rproc_request_mbox(priv, &priv->boot_client,
					  &priv->boot_chan, "boot",
					  amprelay_rproc_boot_rx);
	if (ret)
		return ret;
	ret = amprelay_rproc_request_mbox(priv, &priv->crash_client,
					  &priv->crash_chan, "crash",
					  amprelay_rproc_crash_rx);
	if (ret)
		return ret;
	ret = amprelay_rproc_request_mbox(priv, &priv->event_client,
					  &priv->event_chan, "event",
					  amprelay_rproc_event_rx);
	if (ret)
		return ret;
	ret = amprelay_rproc_request_mbox(priv, &priv->ping_client,
					  &priv->ping_chan, "ping",
					  amprelay_rproc_ping_rx);
	if (ret)
		return ret;

	priv->reset = devm_reset_control_get_exclusive(dev, NULL);
	if (IS_ERR(priv->reset))
		return dev_err_probe(dev, PTR_ERR(priv->reset),
				     "cannot get the reset line of the remote core\n");

	/* Runs at removal after rproc_del, before the channels go. */
	ret = devm_add_action_or_reset(dev, amprelay_rproc_cancel_liveness,
				       priv);
	if (ret)
		return ret;

	ret = rproc_coredump_set_elf_info(rproc, ELFCLASS32, EM_ARM);
	if (ret)
		return dev_err_probe(dev, ret, "cannot set the coredump format\n");

	/* The guest starts the remote explicitly, through sysfs. */
	rproc->auto_boot = false;
	platform_set_drvdata(pdev, rproc);

	ret = devm_rproc_add(dev, rproc);
	if (ret)
		return dev_err_probe(dev, ret, "cannot register the remoteproc\n");

	/* Removed with the rproc's own directory by rproc_del. */
	if (rproc->dbg_dir)
		debugfs_create_file("doorbell_ping", 0600, rproc->dbg_dir, priv,
				    &amprelay_rproc_ping_fops);
	return 0;
}

static const struct of_device_id amprelay_rproc_of_match[] = {
	{ .compatible = "amprelay,cm4-rproc" },
	{ }
};
MODULE_DEVICE_TABLE(of, amprelay_rproc_of_match);

/* Which image runs: the build id its firmware reported, "none" offline. */
static ssize_t build_id_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct rproc *rproc = dev_get_drvdata(dev);
	struct amprelay_rproc *priv = rproc->priv;
	u32 build_id = READ_ONCE(priv->ctrl->build_id);

	if (!build_id)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "0x%08x\n", build_id);
}
static DEVICE_ATTR_RO(build_id);

static struct attribute *amprelay_rproc_attrs[] = {
	&dev_attr_build_id.attr,
	NULL
};
ATTRIBUTE_GROUPS(amprelay_rproc);

static struct platform_driver amprelay_rproc_driver = {
	.probe = amprelay_rproc_probe,
	.driver = {
		.name = "amprelay-rproc",
		.of_match_table = amprelay_rproc_of_match,
		.dev_groups = amprelay_rproc_groups,
	},
};
module_platform_driver(amprelay_rproc_driver);

MODULE_DESCRIPTION("AmpRelay remoteproc driver for the Cortex-M4");
MODULE_LICENSE("GPL");
