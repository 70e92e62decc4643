// The image block's credit and alternative-text fields show, as their placeholder, what the
// release uses while they stay empty: the library photo's credit and description. A Stimulus
// controller (Wagtail's documented way to add behaviour to the admin), attached to each image
// block by the block's Meta.form_attrs; it asks the admin for the chosen photo's values
// whenever the chooser's hidden input changes.
(() => {
  const url = document.currentScript.dataset.url; // …/press/photo-placeholders/0/

  class PhotoPlaceholders extends window.StimulusModule.Controller {
    connect() {
      this.changed = (event) => {
        if (event.target.name && event.target.name.endsWith('-image')) this.update();
      };
      this.element.addEventListener('change', this.changed);
      this.update();
    }

    disconnect() {
      this.element.removeEventListener('change', this.changed);
    }

    field(name) {
      return this.element.querySelector(`[name$="-${name}"]`);
    }

    async update() {
      const image = this.field('image');
      const fields = { credit: this.field('credit'), alt: this.field('alt') };
      if (!image || !fields.credit || !fields.alt) return;
      const id = image.value;
      let values = { credit: '', alt: '' };
      if (id) {
        const response = await fetch(url.replace(/\/0\/$/, `/${encodeURIComponent(id)}/`), {
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
        });
        if (!response.ok) return;
        values = await response.json();
        if (image.value !== id) return; // another photo was chosen meanwhile
      }
      Object.entries(fields).forEach(([name, input]) => {
        input.placeholder = values[name] || '';
      });
    }
  }

  window.wagtail.app.register('press-photo-placeholders', PhotoPlaceholders);
})();
