// SPDX-License-Identifier: GPL-2.0-only
/*
 * AmpRelay system controller: the ivshmem-doorbell PCI function served by
 * amprelayd, presented as the SoC's mailbox controller (one channel per
 * MSI-X vector below AR_MBOX_NUM, the round-trip probe AR_MBOX_PING, and
 * the receive-only channel AR_VEC_EVENT whose message is sysctl.event)
 * and reset controller (line
 * AR_RESET_CM4 holds the remote core).
 *
 * Linux rings vector v of amprelayd with (AR_IVSHMEM_DAEMON_PEER << 16) | v
 * in the BAR0 doorbell; amprelayd raises MSI-X vector v in return. BAR2 is
 * a page (struct ar_sysctl_page) that amprelayd keeps up to date.
 */

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/reset-controller.h>
#include <linux/stddef.h>

#include <amprelay/platform.h>

/* amprelayd answers a reset command after a QMP round trip (milliseconds). */
#define AMPRELAY_SYSCTL_ACK_TIMEOUT_MS	3000

#define AMPRELAY_SYSCTL_REGS_BAR	0
#define AMPRELAY_SYSCTL_PAGE_BAR	2

/* Channel numbers are vector numbers; the reset vectors are not channels. */
#define AMPRELAY_SYSCTL_NUM_CHANS	(AR_MBOX_PING + 1)

struct amprelay_sysctl {
	struct device *dev;
	void __iomem *regs;
	void __iomem *page;
	int mbox_irq[AMPRELAY_SYSCTL_NUM_CHANS];
	struct mbox_controller mbox;
	struct mbox_chan chans[AMPRELAY_SYSCTL_NUM_CHANS];
	struct reset_controller_dev rcdev;
	/* One reset command in flight: the acks carry no sequence number. */
	struct mutex reset_lock;
	struct completion assert_ack;
	struct completion deassert_ack;
};

static u32 amprelay_sysctl_page_read(struct amprelay_sysctl *sysctl,
				     size_t offset)
{
	return readl(sysctl->page + offset);
}

#define amprelay_sysctl_page_field(sysctl, field) \
	amprelay_sysctl_page_read(sysctl, offsetof(struct ar_sysctl_page, field))

static void amprelay_sysctl_ring(struct amprelay_sysctl *sysctl,
				 unsigned int vector)
{
	writel((AR_IVSHMEM_DAEMON_PEER << 16) | vector,
	       sysctl->regs + AR_IVSHMEM_REG_DOORBELL);
}

/* ---- Mailbox controller ----------------------------------------------- */

static unsigned int amprelay_sysctl_chan_vector(struct mbox_chan *chan)
{
	struct amprelay_sysctl *sysctl =
		container_of(chan->mbox, struct amprelay_sysctl, mbox);

	return chan - sysctl->chans;
}

/* Channels whose doorbell reaches the remote, both ways. */
static bool amprelay_sysctl_is_remote_chan(unsigned int vector)
{
	return vector < AR_MBOX_NUM || vector == AR_MBOX_PING;
}

static int amprelay_sysctl_send_data(struct mbox_chan *chan, void *data)
{
	struct amprelay_sysctl *sysctl =
		container_of(chan->mbox, struct amprelay_sysctl, mbox);
	unsigned int vector = amprelay_sysctl_chan_vector(chan);

	/* Events only flow from amprelayd to Linux. */
	if (!amprelay_sysctl_is_remote_chan(vector))
		return -EINVAL;

	/* A doorbell carries no payload; the vector is the message. */
	amprelay_sysctl_ring(sysctl, vector);
	return 0;
}

/*
 * The RX interrupt of a channel is enabled only while a client is bound,
 * because mbox_chan_received_data() dereferences the client unchecked.
 */
static int amprelay_sysctl_startup(struct mbox_chan *chan)
{
	struct amprelay_sysctl *sysctl =
		container_of(chan->mbox, struct amprelay_sysctl, mbox);

	enable_irq(sysctl->mbox_irq[amprelay_sysctl_chan_vector(chan)]);
	return 0;
}

static void amprelay_sysctl_shutdown(struct mbox_chan *chan)
{
	struct amprelay_sysctl *sysctl =
		container_of(chan->mbox, struct amprelay_sysctl, mbox);

	disable_irq(sysctl->mbox_irq[amprelay_sysctl_chan_vector(chan)]);
}

static struct mbox_chan *
amprelay_sysctl_xlate(struct mbox_controller *mbox,
		      const struct of_phandle_args *spec)
{
	unsigned int vector;

	if (spec->args_count != 1)
		return ERR_PTR(-EINVAL);
	vector = spec->args[0];
	if (vector >= AMPRELAY_SYSCTL_NUM_CHANS ||
	    (!amprelay_sysctl_is_remote_chan(vector) &&
	     vector != AR_VEC_EVENT)) {
		dev_err(mbox->dev,
			"vector %u is not a mailbox channel (0..%u, %u or %u)\n",
			vector, AR_MBOX_NUM - 1, AR_VEC_EVENT, AR_MBOX_PING);
		return ERR_PTR(-EINVAL);
	}
	return &mbox->chans[vector];
}

static const struct mbox_chan_ops amprelay_sysctl_mbox_ops = {
	.send_data = amprelay_sysctl_send_data,
	.startup = amprelay_sysctl_startup,
	.shutdown = amprelay_sysctl_shutdown,
};

static irqreturn_t amprelay_sysctl_mbox_irq(int irq, void *data)
{
	struct mbox_chan *chan = data;

	/* No payload either way: the client reads shared memory itself. */
	mbox_chan_received_data(chan, NULL);
	return IRQ_HANDLED;
}

/* ---- Reset controller ------------------------------------------------- */

static struct amprelay_sysctl *
amprelay_sysctl_from_rcdev(struct reset_controller_dev *rcdev)
{
	return container_of(rcdev, struct amprelay_sysctl, rcdev);
}

/*
 * Sends one reset command to amprelayd and waits for its acknowledgment,
 * which comes back as the same vector number; reset_status in BAR2 then
 * says whether the QMP commands behind it worked.
 */
static int amprelay_sysctl_reset_cmd(struct amprelay_sysctl *sysctl,
				     unsigned int vector,
				     struct completion *ack, const char *what)
{
	unsigned long timeout = msecs_to_jiffies(AMPRELAY_SYSCTL_ACK_TIMEOUT_MS);
	u32 status;

	lockdep_assert_held(&sysctl->reset_lock);

	reinit_completion(ack);
	amprelay_sysctl_ring(sysctl, vector);

	if (!wait_for_completion_timeout(ack, timeout)) {
		dev_err(sysctl->dev,
			"amprelayd did not acknowledge '%s' of the remote core within %u ms\n",
			what, AMPRELAY_SYSCTL_ACK_TIMEOUT_MS);
		return -ETIMEDOUT;
	}

	status = amprelay_sysctl_page_field(sysctl, reset_status);
	if (status != AR_RESET_OK) {
		dev_err(sysctl->dev,
			"amprelayd failed to %s the remote core (reset_status %u)\n",
			what, status);
		return -EIO;
	}

	return 0;
}

static int amprelay_sysctl_assert_locked(struct amprelay_sysctl *sysctl)
{
	return amprelay_sysctl_reset_cmd(sysctl, AR_VEC_RESET_ASSERT,
					 &sysctl->assert_ack, "hold");
}

static int amprelay_sysctl_deassert_locked(struct amprelay_sysctl *sysctl)
{
	return amprelay_sysctl_reset_cmd(sysctl, AR_VEC_RESET_DEASSERT,
					 &sysctl->deassert_ack, "release");
}

static int amprelay_sysctl_assert(struct reset_controller_dev *rcdev,
				  unsigned long id)
{
	struct amprelay_sysctl *sysctl = amprelay_sysctl_from_rcdev(rcdev);

	guard(mutex)(&sysctl->reset_lock);
	return amprelay_sysctl_assert_locked(sysctl);
}

static int amprelay_sysctl_deassert(struct reset_controller_dev *rcdev,
				    unsigned long id)
{
	struct amprelay_sysctl *sysctl = amprelay_sysctl_from_rcdev(rcdev);

	guard(mutex)(&sysctl->reset_lock);
	return amprelay_sysctl_deassert_locked(sysctl);
}

static int amprelay_sysctl_reset(struct reset_controller_dev *rcdev,
				 unsigned long id)
{
	struct amprelay_sysctl *sysctl = amprelay_sysctl_from_rcdev(rcdev);
	int ret;

	guard(mutex)(&sysctl->reset_lock);
	ret = amprelay_sysctl_assert_locked(sysctl);
	if (ret)
		return ret;
	return amprelay_sysctl_deassert_locked(sysctl);
}

static int amprelay_sysctl_status(struct reset_controller_dev *rcdev,
				  unsigned long id)
{
	struct amprelay_sysctl *sysctl = amprelay_sysctl_from_rcdev(rcdev);

	return !!amprelay_sysctl_page_field(sysctl, core_held);
}

static const struct reset_control_ops amprelay_sysctl_reset_ops = {
	.reset = amprelay_sysctl_reset,
	.assert = amprelay_sysctl_assert,
	.deassert = amprelay_sysctl_deassert,
	.status = amprelay_sysctl_status,
};

static irqreturn_t amprelay_sysctl_ack_irq(int irq, void *data)
{
	struct completion *ack = data;

	complete(ack);
	return IRQ_HANDLED;
}

/* The event channel's message is the event code itself (AR_EVENT_*). */
static irqreturn_t amprelay_sysctl_event_irq(int irq, void *data)
{
	struct mbox_chan *chan = data;
	struct amprelay_sysctl *sysctl =
		container_of(chan->mbox, struct amprelay_sysctl, mbox);
	u32 event = amprelay_sysctl_page_field(sysctl, event);

	dev_info_ratelimited(sysctl->dev, "amprelayd event %u\n", event);
	mbox_chan_received_data(chan, (void *)(uintptr_t)event);
	return IRQ_HANDLED;
}

/* ---- Probe ------------------------------------------------------------ */

static int amprelay_sysctl_request_irq(struct pci_dev *pdev,
				       unsigned int vector,
				       irq_handler_t handler, unsigned long flags,
				       const char *what, void *data)
{
	struct device *dev = &pdev->dev;
	const char *name;
	int irq, ret;

	irq = pci_irq_vector(pdev, vector);
	if (irq < 0)
		return dev_err_probe(dev, irq, "no IRQ for MSI-X vector %u\n",
				     vector);

	name = devm_kasprintf(dev, GFP_KERNEL, "amprelay-sysctl %s", what);
	if (!name)
		return -ENOMEM;

	ret = devm_request_irq(dev, irq, handler, flags, name, data);
	if (ret)
		return dev_err_probe(dev, ret,
				     "cannot request the IRQ of MSI-X vector %u (%s)\n",
				     vector, what);
	return irq;
}

static int amprelay_sysctl_setup_irqs(struct amprelay_sysctl *sysctl,
				      struct pci_dev *pdev)
{
	char what[sizeof("mbox") + 10];
	unsigned int v;
	int irq;

	for (v = 0; v < AR_MBOX_NUM; v++) {
		snprintf(what, sizeof(what), "mbox%u", v);
		/* Enabled by amprelay_sysctl_startup() once a client binds. */
		irq = amprelay_sysctl_request_irq(pdev, v,
						  amprelay_sysctl_mbox_irq,
						  IRQF_NO_AUTOEN, what,
						  &sysctl->chans[v]);
		if (irq < 0)
			return irq;
		sysctl->mbox_irq[v] = irq;
	}

	irq = amprelay_sysctl_request_irq(pdev, AR_VEC_RESET_ASSERT,
					  amprelay_sysctl_ack_irq, 0,
					  "reset-assert", &sysctl->assert_ack);
	if (irq < 0)
		return irq;

	irq = amprelay_sysctl_request_irq(pdev, AR_VEC_RESET_DEASSERT,
					  amprelay_sysctl_ack_irq, 0,
					  "reset-deassert",
					  &sysctl->deassert_ack);
	if (irq < 0)
		return irq;

	/* Enabled, like the mailbox ones, once a client binds. */
	irq = amprelay_sysctl_request_irq(pdev, AR_VEC_EVENT,
					  amprelay_sysctl_event_irq,
					  IRQF_NO_AUTOEN, "event",
					  &sysctl->chans[AR_VEC_EVENT]);
	if (irq < 0)
		return irq;
	sysctl->mbox_irq[AR_VEC_EVENT] = irq;

	irq = amprelay_sysctl_request_irq(pdev, AR_MBOX_PING,
					  amprelay_sysctl_mbox_irq,
					  IRQF_NO_AUTOEN, "ping",
					  &sysctl->chans[AR_MBOX_PING]);
	if (irq < 0)
		return irq;
	sysctl->mbox_irq[AR_MBOX_PING] = irq;
	return 0;
}

static int amprelay_sysctl_probe(struct pci_dev *pdev,
				 const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct amprelay_sysctl *sysctl;
	u32 magic;
	int ret;

	/* Clients find both controllers through phandles to this node. */
	if (!dev->of_node)
		return dev_err_probe(dev, -ENODEV,
				     "no device tree node for this PCI function; clients could not reach it\n");

	sysctl = devm_kzalloc(dev, sizeof(*sysctl), GFP_KERNEL);
	if (!sysctl)
		return -ENOMEM;
	sysctl->dev = dev;
	init_completion(&sysctl->assert_ack);
	init_completion(&sysctl->deassert_ack);
	ret = devm_mutex_init(dev, &sysctl->reset_lock);
	if (ret)
		return ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable the PCI device\n");

	sysctl->regs = pcim_iomap_region(pdev, AMPRELAY_SYSCTL_REGS_BAR,
					 KBUILD_MODNAME);
	if (IS_ERR(sysctl->regs))
		return dev_err_probe(dev, PTR_ERR(sysctl->regs),
				     "cannot map the register BAR\n");

	if (pci_resource_len(pdev, AMPRELAY_SYSCTL_PAGE_BAR) <
	    sizeof(struct ar_sysctl_page))
		return dev_err_probe(dev, -ENODEV,
				     "BAR%d is missing or smaller than the sysctl page: amprelayd is not serving this device\n",
				     AMPRELAY_SYSCTL_PAGE_BAR);

	sysctl->page = pcim_iomap_region(pdev, AMPRELAY_SYSCTL_PAGE_BAR,
					 KBUILD_MODNAME);
	if (IS_ERR(sysctl->page))
		return dev_err_probe(dev, PTR_ERR(sysctl->page),
				     "cannot map the sysctl page BAR\n");

	magic = amprelay_sysctl_page_field(sysctl, magic);
	if (magic != AR_SYSCTL_MAGIC)
		return dev_err_probe(dev, -ENODEV,
				     "sysctl page magic is 0x%08x, expected 0x%08x: amprelayd is not serving this device\n",
				     magic, AR_SYSCTL_MAGIC);

	/* MSI-X messages are memory writes from the device. */
	pci_set_master(pdev);

	/* ivshmem-doorbell has no INTx: a notify without MSI-X is lost. */
	ret = pci_alloc_irq_vectors(pdev, AR_NUM_VECTORS, AR_NUM_VECTORS,
				    PCI_IRQ_MSIX);
	if (ret < 0)
		return dev_err_probe(dev, ret,
				     "cannot allocate %d MSI-X vectors (is this ivshmem-doorbell with vectors=%d?)\n",
				     AR_NUM_VECTORS, AR_NUM_VECTORS);

	ret = amprelay_sysctl_setup_irqs(sysctl, pdev);
	if (ret)
		return ret;

	sysctl->mbox.dev = dev;
	sysctl->mbox.ops = &amprelay_sysctl_mbox_ops;
	sysctl->mbox.chans = sysctl->chans;
	sysctl->mbox.num_chans = AMPRELAY_SYSCTL_NUM_CHANS;
	sysctl->mbox.of_xlate = amprelay_sysctl_xlate;
	/* The doorbell has no completion to sense: clients ack their own TX. */
	sysctl->mbox.txdone_irq = false;
	sysctl->mbox.txdone_poll = false;
	ret = devm_mbox_controller_register(dev, &sysctl->mbox);
	if (ret)
		return dev_err_probe(dev, ret,
				     "cannot register the mailbox controller\n");

	sysctl->rcdev.ops = &amprelay_sysctl_reset_ops;
	sysctl->rcdev.owner = THIS_MODULE;
	sysctl->rcdev.dev = dev;
	sysctl->rcdev.of_node = dev->of_node;
	sysctl->rcdev.of_reset_n_cells = 1;
	sysctl->rcdev.nr_resets = AR_NUM_RESETS;
	ret = devm_reset_controller_register(dev, &sysctl->rcdev);
	if (ret)
		return dev_err_probe(dev, ret,
				     "cannot register the reset controller\n");

	pci_set_drvdata(pdev, sysctl);
	dev_info(dev,
		 "system controller up: %d mailbox channels, %d reset line(s), ivshmem peer %u, remote core %s\n",
		 AR_MBOX_NUM, AR_NUM_RESETS,
		 readl(sysctl->regs + AR_IVSHMEM_REG_IVPOSITION),
		 amprelay_sysctl_page_field(sysctl, core_held) ?
		 "held in reset" : "running");
	return 0;
}

static const struct pci_device_id amprelay_sysctl_ids[] = {
	{ PCI_DEVICE(AR_IVSHMEM_VENDOR, AR_IVSHMEM_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, amprelay_sysctl_ids);

static struct pci_driver amprelay_sysctl_driver = {
	.name = "amprelay-sysctl",
	.id_table = amprelay_sysctl_ids,
	.probe = amprelay_sysctl_probe,
};
module_pci_driver(amprelay_sysctl_driver);

MODULE_DESCRIPTION("AmpRelay system controller: mailbox and reset lines over ivshmem-doorbell");
MODULE_LICENSE("GPL");
