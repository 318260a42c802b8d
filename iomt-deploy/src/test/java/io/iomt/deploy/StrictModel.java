package io.iomt.deploy;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields a fabric8 model did not know: its classes keep them in {@code
 * additionalProperties} instead of failing, so strict reading means walking the object graph and
 * collecting every non-empty one, as paths ({@code spec.template.spec.securityContex}). Stateless.
 */
final class StrictModel {
  private StrictModel() {}

  static List<String> leftovers(Object model) {
    List<String> found = new ArrayList<>();
    walk(model, "", found);
    return found;
  }

  private static void walk(Object o, String path, List<String> found) {
    if (o instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found));
      return;
    }
    if (!(o instanceof KubernetesResource)) {
      return;
    }
    try {
      for (PropertyDescriptor p : Introspector.getBeanInfo(o.getClass()).getPropertyDescriptors()) {
        if (p.getReadMethod() == null || p.getName().equals("class")) {
          continue;
        }
        Object value = p.getReadMethod().invoke(o);
        String at = path.isEmpty() ? p.getName() : path + "." + p.getName();
        if (p.getName().equals("additionalProperties") && value instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> found.add(path.isEmpty() ? k.toString() : path + "." + k));
        } else if (value != null) {
          walk(value, at, found);
        }
      }
    } catch (IntrospectionException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + o.getClass().getName(), e);
    }
  }
}
