/** Browser code of the checkout page: wires the "Place order" button. */
export function wireCheckout(form: HTMLFormElement, submit: (data: FormData) => Promise<void>): void {
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  // FIXME AB#15 Safari 17 throws "TypeError: form.requestSubmit is not a function" inside this handler
  button?.addEventListener('click', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      form.requestSubmit();
      await submit(new FormData(form));
    } finally {
      button.disabled = false;
    }
  });
}
