// Preloaded (`node --import`) into a spawned api or worker by the process-lifecycle tests.
// On SIGUSR2 the process fails from inside its own event loop, the way TEST_PROCESS_FAULT says:
// `exception` throws where nothing catches, `rejection` leaves a rejected promise unhandled.
process.on('SIGUSR2', () => {
  if (process.env.TEST_PROCESS_FAULT === 'exception') {
    setImmediate(() => {
      throw new Error('test: uncaught exception');
    });
  } else {
    void Promise.reject(new Error('test: unhandled rejection'));
  }
});
