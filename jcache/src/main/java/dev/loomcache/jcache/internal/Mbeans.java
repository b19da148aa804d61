package dev.loomcache.jcache.internal;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans with the platform MBean server under the names JSR-107 gives: {@code
 * javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}.
 */
final class Mbeans {
  /** The two MXBeans of a cache. */
  enum Type {
    CONFIGURATION("CacheConfiguration"),
    STATISTICS("CacheStatistics");

    final String objectType;

    Type(String objectType) {
      this.objectType = objectType;
    }
  }

  private Mbeans() {}

  /** Registers {@code bean}; a no-op if a bean of this name is registered. */
  static void register(JCache<?, ?> cache, Type type, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = objectName(cache, type);
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException e) {
      // registered meanwhile by a racing call: the bean is there, as asked
    } catch (JMException e) {
      throw new CacheException("Failed to register the MXBean " + name, e);
    }
  }

  /** Unregisters the bean of {@code type}; a no-op if there is none. */
  static void unregister(JCache<?, ?> cache, Type type) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = objectName(cache, type);
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException e) {
      // unregistered meanwhile: gone, as asked
    } catch (JMException e) {
      throw new CacheException("Failed to unregister the MXBean " + name, e);
    }
  }

  private static ObjectName objectName(JCache<?, ?> cache, Type type) {
    String manager = safe(cache.getCacheManager().getURI().toString());
    try {
      return new ObjectName(
          "javax.cache:type="
              + type.objectType
              + ",CacheManager="
              + manager
              + ",Cache="
              + safe(cache.getName()));
    } catch (MalformedObjectNameException e) {
      throw new CacheException("Cannot name the MXBean of cache " + cache.getName(), e);
    }
  }

  /** Replaces the characters an object name's value cannot hold unquoted. */
  private static String safe(String value) {
    return value.replaceAll("[:=,\n]", ".");
  }
}
