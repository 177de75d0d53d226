/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AmpRelay platform contract: memory map, doorbell vectors, boot and crash
 * structures. Included by the firmware, the boot ROM, amprelayd, the Linux
 * drivers, the guest tools, the device tree (through cpp) and the linker
 * scripts, so every number here exists exactly once.
 *
 * Only plain integer macros appear outside the C section so the file can
 * be run through cpp for .dts and .ld files (define AMPRELAY_NO_C there).
 */
#ifndef AMPRELAY_PLATFORM_H
#define AMPRELAY_PLATFORM_H

/* ---- Shared window --------------------------------------------------- */

/* One 16 MiB file, seen by Linux and by the remote at different bases. */
#define AR_WIN_SIZE		0x01000000
#define AR_WIN_LINUX_PA		0x50000000	/* virt: NUMA node 1 */
#define AR_WIN_REMOTE_DA	0x21000000	/* mps2-an386: PSRAM */

/* Regions of the window, as offsets from its base. */
#define AR_FW_OFF		0x00000000	/* firmware load area */
#define AR_FW_SIZE		0x00400000
#define AR_VRING0_OFF		0x00400000	/* vdev0vring0: Linux RX */
#define AR_VRING1_OFF		0x00408000	/* vdev0vring1: Linux TX */
#define AR_VRING_REGION_SIZE	0x00008000
#define AR_VBUF_OFF		0x00500000	/* vdev0buffer: shared-dma-pool */
#define AR_VBUF_SIZE		0x00100000
#define AR_TRACE_OFF		0x00600000	/* trace0 text buffer */
#define AR_TRACE_SIZE		0x00010000
#define AR_CRASH_OFF		0x00610000	/* crash record */
#define AR_CRASH_SIZE		0x00001000
#define AR_CTRL_OFF		0x00611000	/* control page */
#define AR_CTRL_SIZE		0x00001000

/* The image header sits at the very start of the firmware load area. */
#define AR_IMAGE_HEADER_OFF	AR_FW_OFF

/* ---- Remote (mps2-an386) private memory ------------------------------ */

#define AR_SSRAM1_BASE		0x00000000	/* 4 MiB, reloaded only by QEMU */
#define AR_SSRAM1_SIZE		0x00400000
#define AR_BOOTROM_BASE		0x00000000	/* boot ROM: first 16 KiB */
#define AR_BOOTROM_SIZE		0x00004000
#define AR_CODE_RUN_BASE	0x00010000	/* firmware code is copied here */
#define AR_CODE_RUN_MAX		(AR_SSRAM1_SIZE - AR_CODE_RUN_BASE)
#define AR_SSRAM2_BASE		0x20000000	/* 4 MiB, private data */
#define AR_SSRAM2_SIZE		0x00400000
#define AR_BOOTROM_STACK_TOP	(AR_SSRAM2_BASE + AR_SSRAM2_SIZE)

/* mps2-an386 peripherals the firmware uses. */
#define AR_UART0_BASE		0x40004000	/* console */
#define AR_UART1_BASE		0x40005000	/* doorbell byte link */
#define AR_UART1_RX_IRQ		2
#define AR_WDOG_BASE		0x40008000	/* CMSDK watchdog, to NMI */
#define AR_REMOTE_CPU_HZ	25000000

/*
 * Liveness. The firmware feeds the watchdog (clocked at AR_REMOTE_CPU_HZ,
 * period AR_WDOG_TIMEOUT_MS) every main-loop pass, so it must wake at
 * least that often. Each expiry is an NMI; it forgives an expiry the host
 * caused by descheduling the remote QEMU, and reports a hang at the
 * second expiry with no main-loop pass: a hang is reported within about
 * two periods; wdt-reset's core is reset by the watchdog two periods in.
 * Linux's own check wants ctrl.heartbeat to move, and its liveness
 * doorbell acknowledged, within every AR_HEARTBEAT_CHECK_MS, which covers
 * what the remote cannot report itself (frozen, killed, doorbells lost).
 * It reports AR_HEARTBEAT_MISSES silent windows in a row, not one: the
 * host may not schedule the remote QEMU for a while, and a lost doorbell
 * is rung again by the next window's probe. One window is longer than
 * two watchdog periods so that a watchdog reset is reported as such.
 */
#define AR_WDOG_TIMEOUT_MS	20
#define AR_HEARTBEAT_CHECK_MS	100
#define AR_HEARTBEAT_MISSES	2

/* ---- Virtio / rpmsg -------------------------------------------------- */

#define AR_VRING_NUM		256	/* descriptors per vring */
#define AR_VRING_ALIGN		4096
#define AR_RPMSG_BUF_SIZE	512	/* fixed by Linux virtio_rpmsg_bus */
#define AR_RPMSG_HDR_SIZE	16
#define AR_RPMSG_MAX_PAYLOAD	(AR_RPMSG_BUF_SIZE - AR_RPMSG_HDR_SIZE)
#define AR_RPMSG_NS_ADDR	53
#define AR_RPMSG_NAME_SIZE	32
#define AR_VIRTIO_ID_RPMSG	7
#define AR_VIRTIO_RPMSG_F_NS	0	/* feature bit */

/* Service names (announced by name service) and firmware addresses. */
#define AR_SVC_ECHO_NAME	"amprelay-echo"
#define AR_SVC_ECHO_ADDR	0x400
#define AR_SVC_CMD_NAME		"amprelay-cmd"	/* include/amprelay/services.h */
#define AR_SVC_CMD_ADDR		0x401
#define AR_SVC_TELEM_NAME	"amprelay-telemetry"
#define AR_SVC_TELEM_ADDR	0x402
#define AR_SVC_CONSOLE_NAME	"rpmsg-tty"	/* Linux rpmsg_tty: /dev/ttyRPMSGn */
#define AR_SVC_CONSOLE_ADDR	0x403
#define AR_SVC_SAMPLE_NAME	"rpmsg-client-sample"	/* samples/rpmsg */
#define AR_SVC_SAMPLE_ADDR	0x404
#define AR_SVC_OPENAMP_NAME	"rpmsg-openamp-demo-channel"	/* OpenAMP echo */
#define AR_SVC_OPENAMP_ADDR	0x405
#define AR_SVC_BULK_NAME	"amprelay-bulk"	/* include/amprelay/bulk.h */
#define AR_SVC_BULK_ADDR	0x406
/* Services added with AR_SERVICE() (firmware/core/registry.h) start here. */
#define AR_SVC_USER_ADDR_FIRST	0x480

/* ---- Resource table -------------------------------------------------- */

#define AR_RSC_VER		1
#define AR_RSC_CARVEOUT		0
#define AR_RSC_DEVMEM		1
#define AR_RSC_TRACE		2
#define AR_RSC_VDEV		3
#define AR_RSC_VENDOR_CRASH	128	/* RSC_VENDOR_START: crash record */
#define AR_FW_NAME		"amprelay-fw.elf"

/*
 * Host folder shared into the guest over virtio-9p (make run SHARE=dir):
 * user programs, and in its firmware/ subfolder firmware images, which the
 * kernel's firmware loader searches before /lib/firmware.
 */
#define AR_SHARE_MOUNT_TAG	"amprelay-share"
#define AR_SHARE_GUEST_DIR	"/share"
#define AR_SHARE_FW_SUBDIR	"firmware"
/* Where amprelay reload copies an image named by path (writable initramfs). */
#define AR_FW_LOADER_DIR	"/lib/firmware"

/* ---- System controller (ivshmem-doorbell served by amprelayd) -------- */

/*
 * One vector per purpose, in each direction. Linux rings
 * (AR_IVSHMEM_DAEMON_PEER << 16) | vector; amprelayd raises the same vector
 * number in Linux. Vectors below AR_MBOX_NUM are mailbox channels that
 * reach the remote: a Linux ring becomes that byte on the remote's UART1,
 * and a byte the remote writes to UART1 becomes that vector in Linux.
 */
#define AR_MBOX_VQ		0	/* vring notification, both ways */
#define AR_MBOX_BOOT		1	/* remote -> Linux: ctrl.boot_state changed */
#define AR_MBOX_CRASH		2	/* remote -> Linux: crash record written */
#define AR_MBOX_NUM		3
#define AR_VEC_RESET_ASSERT	3	/* Linux -> daemon: hold core; ack back */
#define AR_VEC_RESET_DEASSERT	4	/* Linux -> daemon: release core; ack */
#define AR_VEC_EVENT		5	/* daemon -> Linux: see sysctl page; also
					 * a receive-only mailbox channel whose
					 * message is sysctl.event */
/*
 * Bare doorbell round trip, the platform's latency floor: a mailbox
 * channel like those below AR_MBOX_NUM, but the remote's UART1 interrupt
 * handler writes the byte straight back, with no rpmsg and no main loop.
 */
#define AR_MBOX_PING		6
#define AR_NUM_VECTORS		8

#define AR_IVSHMEM_LINUX_ID	0
#define AR_IVSHMEM_DAEMON_PEER	1
#define AR_IVSHMEM_VENDOR	0x1af4
#define AR_IVSHMEM_DEVICE	0x1110
#define AR_SYSCTL_PCI_SLOT	1	/* ivshmem-doorbell at 00:01.0 */
#define AR_SYSCTL_PAGE_SIZE	0x1000	/* BAR2 of the system controller */

/* BAR0 registers of ivshmem. */
#define AR_IVSHMEM_REG_INTRMASK		0x00
#define AR_IVSHMEM_REG_INTRSTATUS	0x04
#define AR_IVSHMEM_REG_IVPOSITION	0x08
#define AR_IVSHMEM_REG_DOORBELL		0x0c

/* Number of reset lines of the system controller; line 0 is the CM4. */
#define AR_RESET_CM4		0
#define AR_NUM_RESETS		1

/* ---- Magic numbers and states ---------------------------------------- */

#define AR_IMAGE_MAGIC		0x52504d41	/* "AMPR" */
#define AR_IMAGE_VERSION	1
#define AR_CTRL_MAGIC		0x4c525443	/* "CTRL" */
#define AR_CRASH_MAGIC		0x48535243	/* "CRSH" */
#define AR_SYSCTL_MAGIC		0x4c435953	/* "SYCL" */

/* ctrl.boot_state */
#define AR_BOOT_IDLE		0	/* written by Linux before release */
#define AR_BOOT_ROM		1	/* boot ROM validating / copying */
#define AR_BOOT_RUNNING		2	/* firmware initialised, services up */
#define AR_BOOT_ERROR		3	/* boot ROM refused the image */

/* ctrl.boot_error, set with AR_BOOT_ERROR */
#define AR_BOOTERR_NONE		0
#define AR_BOOTERR_MAGIC	1	/* no image header magic */
#define AR_BOOTERR_VERSION	2	/* unknown header version */
#define AR_BOOTERR_HDR_CRC	3	/* header checksum mismatch */
#define AR_BOOTERR_RANGE	4	/* code outside load area or SSRAM */
#define AR_BOOTERR_CODE_CRC	5	/* code checksum mismatch */
#define AR_BOOTERR_VECTORS	6	/* bad vector table / entry / stack */

/* sysctl.reset_status, written by amprelayd before it acks */
#define AR_RESET_OK		0
#define AR_RESET_FAILED		1

/* Fault injection types (amprelay fault TYPE; command service FAULT). */
#define AR_FAULT_HARDFAULT	1	/* load through a null pointer */
#define AR_FAULT_BUSFAULT	2	/* read an unmapped address */
#define AR_FAULT_USAGEFAULT	3	/* undefined instruction */
#define AR_FAULT_DIVZERO	4	/* integer divide by zero, DIV_0_TRP on */
#define AR_FAULT_STACKOVERFLOW	5	/* recursion into the MPU stack guard */
#define AR_FAULT_ASSERT		6	/* failed assertion with a message */
#define AR_FAULT_HANG		7	/* spin, interrupts on */
#define AR_FAULT_HANG_IRQOFF	8	/* spin, interrupts masked */
#define AR_FAULT_WDT_RESET	9	/* no NMI report: second expiry resets */
#define AR_FAULT_SILENT		10	/* stop serving rpmsg, keep heartbeat */
#define AR_FAULT_CORRUPT_USED	11	/* out-of-range entry on a used ring */
#define AR_FAULT_NUM		12

/* crash record cause (ar_crash_record.cause) */
#define AR_CAUSE_NONE		0
#define AR_CAUSE_HARDFAULT	1
#define AR_CAUSE_MEMMANAGE	2
#define AR_CAUSE_BUSFAULT	3
#define AR_CAUSE_USAGEFAULT	4
#define AR_CAUSE_ASSERT		5
#define AR_CAUSE_WATCHDOG	6	/* watchdog first expiry, NMI */
#define AR_CAUSE_UNEXPECTED_RESET 7	/* boot ROM found "was running" */
#define AR_CAUSE_NUM		8

/* sysctl.event, raised with AR_VEC_EVENT by amprelayd */
#define AR_EVENT_NONE		0
#define AR_EVENT_REMOTE_DIED	1	/* the remote QEMU process exited */
#define AR_EVENT_REMOTE_RESTARTED 2	/* a new remote QEMU is held in reset */
/*
 * A debugger (QEMU's gdbstub) stopped the remote core, or let it run
 * again. Levels, not edges: the latest one raised is the current state.
 */
#define AR_EVENT_REMOTE_HALTED	3
#define AR_EVENT_REMOTE_RESUMED	4

/*
 * Host-side fault requests (amprelayd ctl, or the guest writing into /lab,
 * the 9p share of the run directory): one line in AR_RUN_CTL_REQUEST,
 * answered by amprelayd in AR_RUN_CTL_REPLY ("ok ..." / "error ...").
 */
#define AR_RUN_CTL_REQUEST	"ctl-request"
#define AR_RUN_CTL_REPLY	"ctl-reply"

#ifndef AMPRELAY_NO_C

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define AR_FAULT_NAMES { \
	"none", "hardfault", "busfault", "usagefault", "divzero", \
	"stackoverflow", "assert", "hang", "hang-irqoff", "wdt-reset", \
	"silent", "corrupt-used" }

#define AR_CAUSE_STRINGS { \
	"none", "HardFault", "MemManage", "BusFault", "UsageFault", \
	"assert", "watchdog", "unexpected reset" }

#define AR_BOOTERR_STRINGS { \
	"none", "bad image magic", "unknown image version", \
	"image header checksum mismatch", "image outside its regions", \
	"code checksum mismatch", "bad vector table" }

/*
 * Image header, first bytes of the firmware load area. The boot ROM copies
 * code_size bytes from code_load (window) to code_run (SSRAM1), checks both
 * CRCs (CRC-32/ISO-HDLC), sets VTOR to vectors and jumps to its reset entry.
 * All addresses are remote addresses.
 */
struct ar_image_header {
	uint32_t magic;
	uint32_t version;
	uint32_t header_size;
	uint32_t code_load;
	uint32_t code_run;
	uint32_t code_size;
	uint32_t code_crc;
	uint32_t vectors;
	uint32_t build_id;
	uint32_t reserved[6];
	uint32_t header_crc;	/* CRC of every byte before this field */
};

/* Control page: boot handshake and liveness, shared by all three sides. */
struct ar_ctrl {
	uint32_t magic;
	uint32_t boot_state;	/* AR_BOOT_* */
	uint32_t boot_error;	/* AR_BOOTERR_* */
	uint32_t boot_count;	/* incremented by the boot ROM */
	uint32_t running;	/* 1 while firmware runs: reset detection */
	uint32_t heartbeat;	/* incremented by the firmware main loop */
	uint32_t build_id;	/* copied from the image header */
	/*
	 * Liveness doorbell: Linux bumps liveness_seq and rings AR_MBOX_VQ;
	 * the firmware copies it to liveness_ack when a doorbell wakes it.
	 */
	uint32_t liveness_seq;
	uint32_t liveness_ack;
	uint32_t reserved[7];
};

/* Crash record, written by the firmware's fault handlers. */
struct ar_crash_record {
	uint32_t magic;
	uint32_t cause;
	uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr, sp;
	uint32_t cfsr, hfsr, mmfar, bfar;
	uint32_t count;
	char msg[64];
	/* Callee-saved registers at the fault, for a debugger's unwinding. */
	uint32_t r4, r5, r6, r7, r8, r9, r10, r11;
};

/*
 * Body of the AR_RSC_VENDOR_CRASH resource-table entry (after its 32-bit
 * type word): where the crash record lives, remote address and size. Same
 * layout as Linux's struct fw_rsc_trace; reserved is zero.
 */
struct ar_rsc_crash {
	uint32_t da;
	uint32_t len;
	uint32_t reserved;
	uint8_t name[32];
};

/* BAR2 of the system controller, written by amprelayd. */
struct ar_sysctl_page {
	uint32_t magic;
	uint32_t reset_status;	/* AR_RESET_*, valid at each reset ack */
	uint32_t core_held;	/* 1 while the remote is held in reset */
	uint32_t event;		/* reason for the last AR_VEC_EVENT */
	uint32_t remote_pid;
	uint32_t reserved[11];
};

#endif /* AMPRELAY_NO_C */

#endif /* AMPRELAY_PLATFORM_H */
