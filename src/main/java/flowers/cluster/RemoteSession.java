package flowers.cluster;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;

/**
 * A {@link Session} on a gRPC target ({@code grpc://host:port}): a TensorFlow distributed master.
 *
 * <p>TF Java 1.1.0 has no public way to set a session's target (tensorflow/java has an open
 * request; its private {@code Session.allocate} takes a target and ignores it). The C API it ships
 * does: {@code TF_SetTarget} on the session options, then {@code TF_NewSession} on the graph's
 * native handle, wrapped by the package-private {@code Session(Graph, TF_Session)}. This class is
 * the one place that reaches inside TF Java, and {@code RemoteSessionTest} fails loudly if an
 * upgrade moves what it reaches.
 *
 * <p>Such a session does not mark the graph's initializers as run: call {@link
 * Session#initialize()} for a new run or restore a checkpoint.
 */
public final class RemoteSession {
  private RemoteSession() {}

  public static Session open(Graph graph, String target, ConfigProto config) {
    Constructor<Session> wrap;
    TF_Graph handle;
    try {
      Field field = Graph.class.getDeclaredField("nativeHandle");
      field.setAccessible(true);
      handle = (TF_Graph) field.get(graph);
      wrap = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      wrap.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("this TensorFlow Java cannot open a session on " + target
          + " (its Session internals changed: " + e + "); distributed training needs TF Java 1.1.0's", e);
    }
    TF_Session session;
    try (PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
      tensorflow.TF_SetTarget(options, target);
      BytePointer bytes = new BytePointer(config.toByteArray());
      tensorflow.TF_SetConfig(options, bytes, bytes.capacity(), status);
      status.throwExceptionIfNotOK();
      session = TF_Session.newSession(handle, options, status);
      status.throwExceptionIfNotOK();
      session.retainReference();
    }
    try {
      return wrap.newInstance(graph, session);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot wrap the session on " + target + ": " + e, e);
    }
  }
}
