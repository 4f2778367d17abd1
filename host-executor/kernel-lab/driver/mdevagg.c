// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdevagg: a test parent for mdevplan's kernel lab that aggregates through the attribute dialect.
 * Modelled on samples/vfio-mdev/mtty.c of Linux 6.1 (mdev_driver, mdev_type, vfio_device_ops).
 *
 * One pool of `units` (default 12) is shared by two types:
 *   mdevagg-unit  1 unit per instance; aggregates: its description's last line is "aggregation: <max_aggregation>"
 *                 and its devices have mdev/aggregation (read/write, 1..max_aggregation instances)
 *   mdevagg-pair  2 units; does not aggregate (no mdev/aggregation)
 * available_instances of a type is free units / its cost, counting every instance of aggregated devices.
 *
 * Writing mdev/aggregation answers EINVAL outside 1..max_aggregation, EBUSY while the device is open through VFIO
 * (a real open of the device file descriptor, counted in open_device/close_device), and ENOSPC when the pool cannot
 * grant the growth; shrinking gives units back. mdev/weight (1..16, else EINVAL) is a plain vendor attribute, like
 * GVT-g's scheduling weight, so that an attribute write can fail after create.
 *
 * Fault injection, for the one failure a consistent driver cannot show on its own: writing K to the module
 * parameter steal_units makes the next device created also take K units (at most what is free) away from the pool,
 * as a concurrent writer would between a reader's check of available_instances and its writes. They come back when
 * that device is removed. The reader then meets ENOSPC on its mdev/aggregation write although the room was there.
 */
#include <linux/device.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/vfio.h>

#define MDEVAGG_NAME "mdevagg"
#define MDEVAGG_MAX_WEIGHT 16

static unsigned int units = 12;
module_param(units, uint, 0444);
MODULE_PARM_DESC(units, "Units in the pool the types share (default 12)");

static unsigned int max_aggregation = 4;
module_param(max_aggregation, uint, 0444);
MODULE_PARM_DESC(max_aggregation, "Most instances one mdevagg-unit device may hold (default 4)");

static unsigned int steal_units;
module_param(steal_units, uint, 0644);
MODULE_PARM_DESC(steal_units, "Fault injection: units the next device created takes away from the pool besides its own");

struct mdevagg_type {
	struct mdev_type type;
	unsigned int cost;
	bool aggregates;
};

static struct mdevagg_type mdevagg_types[] = {
	{ .type.sysfs_name = "unit", .type.pretty_name = "One pool unit",
	  .cost = 1, .aggregates = true },
	{ .type.sysfs_name = "pair", .type.pretty_name = "Two pool units",
	  .cost = 2, .aggregates = false },
};

static struct mdev_type *mdevagg_mdev_types[] = {
	&mdevagg_types[0].type,
	&mdevagg_types[1].type,
};

struct mdevagg_state {
	struct vfio_device vdev;
	struct mdevagg_type *type;
	/* instances, stolen, weight and open_count are guarded by pool_lock */
	unsigned int instances;
	unsigned int stolen;
	unsigned int weight;
	unsigned int open_count;
};

static DEFINE_MUTEX(pool_lock);
static unsigned int free_units; /* guarded by pool_lock */

static struct mdevagg_dev {
	struct class *class;
	struct device dev;
	struct mdev_parent parent;
} mdevagg_dev;

static const struct vfio_device_ops mdevagg_dev_ops;

static int mdevagg_init_dev(struct vfio_device *vdev)
{
	struct mdevagg_state *state = container_of(vdev, struct mdevagg_state, vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct mdevagg_type *type = container_of(mdev->type, struct mdevagg_type, type);
	int ret = 0;

	mutex_lock(&pool_lock);
	if (free_units < type->cost) {
		ret = -ENOSPC;
	} else {
		free_units -= type->cost;
		state->type = type;
		state->instances = 1;
		state->weight = 1;
		state->stolen = min(steal_units, free_units);
		free_units -= state->stolen;
		steal_units = 0;
	}
	mutex_unlock(&pool_lock);
	return ret;
}

static void mdevagg_release_dev(struct vfio_device *vdev)
{
	struct mdevagg_state *state = container_of(vdev, struct mdevagg_state, vdev);

	mutex_lock(&pool_lock);
	free_units += state->instances * state->type->cost + state->stolen;
	mutex_unlock(&pool_lock);
	vfio_free_device(vdev);
}

static int mdevagg_open_device(struct vfio_device *vdev)
{
	struct mdevagg_state *state = container_of(vdev, struct mdevagg_state, vdev);

	mutex_lock(&pool_lock);
	state->open_count++;
	mutex_unlock(&pool_lock);
	return 0;
}

static void mdevagg_close_device(struct vfio_device *vdev)
{
	struct mdevagg_state *state = container_of(vdev, struct mdevagg_state, vdev);

	mutex_lock(&pool_lock);
	state->open_count--;
	mutex_unlock(&pool_lock);
}

static int mdevagg_probe(struct mdev_device *mdev)
{
	struct mdevagg_state *state;
	int ret;

	state = vfio_alloc_device(mdevagg_state, vdev, &mdev->dev, &mdevagg_dev_ops);
	if (IS_ERR(state))
		return PTR_ERR(state);

	ret = vfio_register_emulated_iommu_dev(&state->vdev);
	if (ret) {
		vfio_put_device(&state->vdev);
		return ret;
	}
	dev_set_drvdata(&mdev->dev, state);
	return 0;
}

static void mdevagg_remove(struct mdev_device *mdev)
{
	struct mdevagg_state *state = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&state->vdev);
	vfio_put_device(&state->vdev);
}

static ssize_t aggregation_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mdevagg_state *state = dev_get_drvdata(dev);
	unsigned int instances;

	mutex_lock(&pool_lock);
	instances = state->instances;
	mutex_unlock(&pool_lock);
	return sysfs_emit(buf, "%u\n", instances);
}

static ssize_t aggregation_store(struct device *dev, struct device_attribute *attr,
				 const char *buf, size_t count)
{
	struct mdevagg_state *state = dev_get_drvdata(dev);
	unsigned int cost = state->type->cost;
	unsigned int instances;
	int ret;

	ret = kstrtouint(buf, 10, &instances);
	if (ret || instances < 1 || instances > max_aggregation)
		return -EINVAL;

	mutex_lock(&pool_lock);
	if (state->open_count)
		ret = -EBUSY;
	else if (instances > state->instances && free_units < (instances - state->instances) * cost)
		ret = -ENOSPC;
	else {
		free_units = free_units + state->instances * cost - instances * cost;
		state->instances = instances;
	}
	mutex_unlock(&pool_lock);
	return ret ? ret : count;
}

static DEVICE_ATTR_RW(aggregation);

static ssize_t weight_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mdevagg_state *state = dev_get_drvdata(dev);
	unsigned int weight;

	mutex_lock(&pool_lock);
	weight = state->weight;
	mutex_unlock(&pool_lock);
	return sysfs_emit(buf, "%u\n", weight);
}

static ssize_t weight_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct mdevagg_state *state = dev_get_drvdata(dev);
	unsigned int weight;

	if (kstrtouint(buf, 10, &weight) || weight < 1 || weight > MDEVAGG_MAX_WEIGHT)
		return -EINVAL;
	mutex_lock(&pool_lock);
	state->weight = weight;
	mutex_unlock(&pool_lock);
	return count;
}

static DEVICE_ATTR_RW(weight);

static struct attribute *mdevagg_dev_attrs[] = {
	&dev_attr_aggregation.attr,
	&dev_attr_weight.attr,
	NULL,
};

/* Only devices of an aggregating type show mdev/aggregation: aggregation is a per-type capability. */
static umode_t mdevagg_attr_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	struct mdev_device *mdev = to_mdev_device(kobj_to_dev(kobj));
	struct mdevagg_type *type = container_of(mdev->type, struct mdevagg_type, type);

	if (attr == &dev_attr_aggregation.attr && !type->aggregates)
		return 0;
	return attr->mode;
}

static const struct attribute_group mdevagg_dev_group = {
	.name = "mdev",
	.attrs = mdevagg_dev_attrs,
	.is_visible = mdevagg_attr_visible,
};

static const struct attribute_group *mdevagg_dev_groups[] = {
	&mdevagg_dev_group,
	NULL,
};

static unsigned int mdevagg_get_available(struct mdev_type *mtype)
{
	struct mdevagg_type *type = container_of(mtype, struct mdevagg_type, type);
	unsigned int available;

	mutex_lock(&pool_lock);
	available = free_units / type->cost;
	mutex_unlock(&pool_lock);
	return available;
}

static ssize_t mdevagg_show_description(struct mdev_type *mtype, char *buf)
{
	struct mdevagg_type *type = container_of(mtype, struct mdevagg_type, type);

	if (!type->aggregates)
		return sysfs_emit(buf, "%u units of a pool of %u\n", type->cost, units);
	return sysfs_emit(buf, "%u unit of a pool of %u\naggregation: %u\n", type->cost, units,
			  max_aggregation);
}

static const struct vfio_device_ops mdevagg_dev_ops = {
	.name = "vfio-mdevagg",
	.init = mdevagg_init_dev,
	.release = mdevagg_release_dev,
	.open_device = mdevagg_open_device,
	.close_device = mdevagg_close_device,
};

static struct mdev_driver mdevagg_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = MDEVAGG_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = mdevagg_dev_groups,
	},
	.probe = mdevagg_probe,
	.remove = mdevagg_remove,
	.get_available = mdevagg_get_available,
	.show_description = mdevagg_show_description,
};

static void mdevagg_device_release(struct device *dev)
{
}

static int __init mdevagg_init(void)
{
	int ret;

	if (units < 1 || max_aggregation < 1)
		return -EINVAL;
	free_units = units;

	ret = mdev_register_driver(&mdevagg_driver);
	if (ret)
		return ret;

	mdevagg_dev.class = class_create(THIS_MODULE, MDEVAGG_NAME);
	if (IS_ERR(mdevagg_dev.class)) {
		ret = PTR_ERR(mdevagg_dev.class);
		goto err_driver;
	}
	mdevagg_dev.dev.class = mdevagg_dev.class;
	mdevagg_dev.dev.release = mdevagg_device_release;
	dev_set_name(&mdevagg_dev.dev, "%s", MDEVAGG_NAME);

	ret = device_register(&mdevagg_dev.dev);
	if (ret)
		goto err_put;

	ret = mdev_register_parent(&mdevagg_dev.parent, &mdevagg_dev.dev, &mdevagg_driver,
				   mdevagg_mdev_types, ARRAY_SIZE(mdevagg_mdev_types));
	if (ret)
		goto err_device;
	return 0;

err_device:
	device_unregister(&mdevagg_dev.dev);
	goto err_class;
err_put:
	put_device(&mdevagg_dev.dev);
err_class:
	class_destroy(mdevagg_dev.class);
err_driver:
	mdev_unregister_driver(&mdevagg_driver);
	return ret;
}

static void __exit mdevagg_exit(void)
{
	mdev_unregister_parent(&mdevagg_dev.parent);
	device_unregister(&mdevagg_dev.dev);
	class_destroy(mdevagg_dev.class);
	mdev_unregister_driver(&mdevagg_driver);
}

module_init(mdevagg_init)
module_exit(mdevagg_exit)

MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("mdev test parent with one shared pool and aggregation through mdev/aggregation");
